package io.berth.server.membership;

import io.berth.server.identity.Incarnation;
import io.berth.server.membership.MembershipException.Reason;
import io.berth.server.raft.RaftMembership.Configuration;
import io.berth.server.raft.RaftMembership.Progress;
import io.berth.server.raft.RaftNode.Member;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides membership changes, as a pure function of the current configuration and the leader's view of each
 * member's progress. Every change keeps these rules:
 * <ul>
 *   <li>a member joins as a non-voting <em>listener</em> and becomes a voter only by {@link #promote}, once it
 *       has caught up;
 *   <li>at most a minority of the voters is removed in one change, and never the last voter;
 *   <li>the voters after the change must include a <em>live</em> majority (heard from by the leader within the
 *       liveness window), so the change itself can commit and the cluster stays writable after it;
 *   <li>adding another incarnation of a pod (one that lost its volume) removes the old incarnation in the same
 *       change: the old one can never come back, since its pod now runs the new one.
 * </ul>
 * Each refusal is a {@link MembershipException} whose message names the members and the rule.
 *
 * @param current    the configuration to change; must be stable (no change in progress)
 * @param progress   the leader's view of each member, by peer id
 * @param leader     the leader's peer id
 * @param liveWithinMs how recently the leader must have heard from a member for it to count as live
 */
public record MembershipPlan(Configuration current, Map<String, Progress> progress, String leader,
    long liveWithinMs) {

  /** A new configuration. */
  public record Change(List<Member> voters, List<Member> listeners, String description) {}

  public MembershipPlan {
    Objects.requireNonNull(current, "current");
    progress = Map.copyOf(progress);
    Objects.requireNonNull(leader, "leader");
  }

  /** True when the leader heard from {@code id} recently (the leader itself always is). */
  public boolean live(String id) {
    if (id.equals(leader)) {
      return true;
    }
    final Progress p = progress.get(id);
    return p != null && p.lastContactMs() < liveWithinMs;
  }

  /** How many entries {@code id} is behind the leader's commit index; {@link Long#MAX_VALUE} when unknown. */
  public long lag(String id) {
    final Progress self = progress.get(leader);
    final Progress p = progress.get(id);
    return self == null || p == null ? Long.MAX_VALUE : Math.max(0, self.commitIndex() - p.commitIndex());
  }

  /**
   * The member called {@code name}: its exact peer id, or else the only member of that pod.
   *
   * @throws MembershipException UNKNOWN_MEMBER when there is none
   */
  public Member resolve(String name) {
    return current.find(name).orElseGet(() -> {
      final List<Member> ofPod = all().filter(m -> Incarnation.of(m.id(), name)).toList();
      if (ofPod.size() == 1) {
        return ofPod.get(0);
      }
      throw new MembershipException(Reason.UNKNOWN_MEMBER, "no member " + name + " in the configuration ("
          + describe(current) + "); see `berth member list`");
    });
  }

  /** Adds {@code member} as a listener, removing any other incarnation of its pod in the same change. */
  public Change add(Member member) {
    current.find(member.id()).ifPresent(m -> {
      throw new MembershipException(Reason.INVALID, "member " + m.id() + " is already in the configuration as a "
          + (current.isVoter(m.id()) ? "voter" : "listener") + "; nothing to add");
    });
    final String pod = Incarnation.pod(member.id());
    final List<Member> replaced = all().filter(m -> Incarnation.of(m.id(), pod)).toList();
    if (replaced.stream().anyMatch(m -> m.id().equals(leader))) {
      throw new MembershipException(Reason.INVALID, "member " + member.id() + " would replace the leader " + leader
          + ", which is running; a pod runs one incarnation at a time");
    }
    final Set<String> gone = replaced.stream().map(Member::id).collect(Collectors.toSet());
    final List<Member> voters = current.voters().stream().filter(m -> !gone.contains(m.id())).toList();
    checkQuorum(voters, gone);
    final List<Member> listeners = new ArrayList<>(current.listeners().stream()
        .filter(m -> !gone.contains(m.id())).toList());
    listeners.add(member);
    return new Change(voters, listeners, "add " + member.id() + " as a listener" + (replaced.isEmpty() ? ""
        : ", replacing " + replaced.stream().map(Member::id).collect(Collectors.joining(", "))
        + " (an earlier incarnation of pod " + pod + ")"));
  }

  /** Makes the listener {@code name} a voter; the caller has waited for it to catch up. */
  public Change promote(String name) {
    final Member m = resolve(name);
    if (current.isVoter(m.id())) {
      throw new MembershipException(Reason.INVALID, "member " + m.id() + " is already a voter");
    }
    if (!live(m.id())) {
      throw new MembershipException(Reason.UNSAFE, "listener " + m.id() + " has not been heard from by the leader"
          + " within " + liveWithinMs + " ms; start it (or wait for it) and retry");
    }
    final List<Member> voters = new ArrayList<>(current.voters());
    voters.add(m);
    final List<Member> listeners = current.listeners().stream().filter(l -> !l.id().equals(m.id())).toList();
    return new Change(voters, listeners, "promote " + m.id() + " to voter");
  }

  /**
   * The two changes that make the listener {@code name} a voter; the caller has waited for it to catch up. Ratis
   * (3.3) does not support turning a listener into a follower in place: the leader never marks such a peer as
   * caught up, keeps sending it "initializing" appends, and the new voter stays in Ratis' STARTING state, where it
   * refuses votes and leadership until it or the leader restarts (so the next leader crash would leave the
   * cluster without a majority of working voters). The listener is therefore taken out and added back as a voter,
   * which Ratis stages like any new peer (it checks the peer is caught up) and then treats as a full follower.
   * Between the two changes the voters are those before the promotion, so no majority changes.
   */
  public List<Change> promoteSteps(String name) {
    final Change promoted = promote(name);
    final Member m = resolve(name);
    final List<Member> listeners = current.listeners().stream().filter(l -> !l.id().equals(m.id())).toList();
    return List.of(new Change(current.voters(), listeners, "take listener " + m.id() + " out, to add it back as a"
        + " voter"), new Change(promoted.voters(), listeners, "add " + m.id() + " back as a voter"));
  }

  /** Removes the named voters and listeners in one change. */
  public Change remove(List<String> names) {
    if (names.isEmpty()) {
      throw new MembershipException(Reason.INVALID, "no member named; pass the members to remove");
    }
    final Set<String> gone = new LinkedHashSet<>();
    for (String name : names) {
      gone.add(resolve(name).id());
    }
    final List<Member> voters = current.voters().stream().filter(m -> !gone.contains(m.id())).toList();
    final int removedVoters = current.voters().size() - voters.size();
    if (voters.isEmpty()) {
      throw new MembershipException(Reason.UNSAFE, "refusing to remove " + String.join(", ", gone) + ": it would"
          + " remove the last voter, and a cluster without voters can never elect a leader again; add and promote"
          + " another member first");
    }
    if (2 * removedVoters > current.voters().size()) {
      throw new MembershipException(Reason.UNSAFE, "refusing to remove " + removedVoters + " of "
          + current.voters().size() + " voters (" + String.join(", ", gone) + ") in one change: that is a majority,"
          + " and the voters left could not tell whether they hold every committed write; remove them one at a"
          + " time");
    }
    checkQuorum(voters, gone);
    final List<Member> listeners = current.listeners().stream().filter(m -> !gone.contains(m.id())).toList();
    return new Change(voters, listeners, "remove " + String.join(", ", gone));
  }

  /** Refuses when fewer than a majority of {@code voters} is live. */
  private void checkQuorum(List<Member> voters, Set<String> gone) {
    final List<String> live = voters.stream().map(Member::id).filter(this::live).toList();
    if (2 * live.size() <= voters.size()) {
      final List<String> down = voters.stream().map(Member::id).filter(id -> !live(id)).toList();
      throw new MembershipException(Reason.UNSAFE, "refusing the change" + (gone.isEmpty() ? "" : " removing "
          + String.join(", ", gone)) + ": it would lose quorum; of the " + voters.size() + " voters left only "
          + live.size() + " (" + String.join(", ", live) + ") answer the leader, and a majority is "
          + (voters.size() / 2 + 1) + " (not answering: " + String.join(", ", down) + "); bring those members"
          + " back first");
    }
  }

  private Stream<Member> all() {
    return Stream.concat(current.voters().stream(), current.listeners().stream());
  }

  static String describe(Configuration c) {
    return "voters " + c.voters().stream().map(Member::id).collect(Collectors.joining(", "))
        + (c.listeners().isEmpty() ? "" : "; listeners "
        + c.listeners().stream().map(Member::id).collect(Collectors.joining(", ")));
  }
}
