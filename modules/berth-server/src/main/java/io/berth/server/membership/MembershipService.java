package io.berth.server.membership;

import io.berth.server.membership.MembershipException.Reason;
import io.berth.server.raft.RaftMembership;
import io.berth.server.raft.RaftMembership.Configuration;
import io.berth.server.raft.RaftNode;
import io.berth.server.raft.RaftNode.Member;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out membership changes on the leader: takes the current configuration and the leader's view of every
 * member, asks {@link MembershipPlan} whether the change is safe, and commits it with a compare-and-set
 * configuration change (so two operators racing cannot both act on the same old configuration).
 *
 * <p>Only the leader can do this; callers forward to it (see {@code ClusterService}). Thread-safe: Ratis
 * serializes configuration changes and refuses one while another is in progress.
 */
public final class MembershipService {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipService.class);
  /** A listener this close to the leader's commit index counts as caught up and may be promoted. */
  static final long CAUGHT_UP_LAG = 200;

  private final RaftNode node;
  private final RaftMembership raft;

  public MembershipService(RaftNode node) {
    this.node = node;
    this.raft = new RaftMembership(node);
  }

  public RaftMembership raft() {
    return raft;
  }

  /** The plan for the current configuration; throws {@link NotLeaderException} unless this member leads. */
  public MembershipPlan plan() {
    if (!node.isLeader()) {
      throw new NotLeaderException();
    }
    final Configuration conf = raft.configuration();
    if (!conf.stable()) {
      throw new MembershipException(Reason.INVALID, "a membership change is in progress (" + MembershipPlan
          .describe(conf) + "); retry when it is done");
    }
    return new MembershipPlan(conf, raft.progress(), node.selfId(), node.settings().electionTimeoutMin().toMillis());
  }

  /** Adds {@code member} as a listener (replacing other incarnations of its pod) and waits for the commit. */
  public Configuration add(Member member) throws IOException {
    final MembershipPlan plan = plan();
    return apply(plan, plan.add(member));
  }

  /**
   * Waits until the listener {@code name} has caught up (within {@value #CAUGHT_UP_LAG} entries of the leader's
   * commit index and live), then makes it a voter in two changes (out, then back in as a voter; see
   * {@link MembershipPlan#promoteSteps}).
   */
  public Configuration promote(String name, Duration timeout) throws IOException, InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final MembershipPlan plan = plan();
      final Member m = plan.resolve(name);
      if (plan.current().isVoter(m.id())) {
        throw new MembershipException(Reason.INVALID, "member " + m.id() + " is already a voter");
      }
      final long lag = plan.lag(m.id());
      if (lag <= CAUGHT_UP_LAG && plan.live(m.id())) {
        final List<MembershipPlan.Change> steps = plan.promoteSteps(m.id());
        apply(plan, steps.get(0));
        try {
          return apply(plan(), steps.get(1));
        } catch (IOException | RuntimeException e) {
          throw new IOException("listener " + m.id() + " was taken out of the configuration to be added back as a"
              + " voter, and adding it back failed (" + e.getMessage() + "); it asks to join again by itself, or"
              + " run `berth member add " + m.id() + "` and promote it", e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new MembershipException(Reason.UNSAFE, "listener " + m.id() + " has not caught up within "
            + timeout.toSeconds() + " s (" + (lag == Long.MAX_VALUE ? "no progress reported" : lag
            + " entries behind") + (plan.live(m.id()) ? "" : ", not answering the leader") + "); it stays a"
            + " listener: retry later, or check its log");
      }
      Thread.sleep(100);
    }
  }

  /** Removes the named members in one change. The caller has moved leadership away from any of them. */
  public Configuration remove(List<String> names) throws IOException {
    final MembershipPlan plan = plan();
    return apply(plan, plan.remove(names));
  }

  private Configuration apply(MembershipPlan plan, MembershipPlan.Change change) throws IOException {
    LOG.info("Membership change: {} (was {})", change.description(), MembershipPlan.describe(plan.current()));
    raft.change(plan.current(), change.voters(), change.listeners());
    final Configuration now = raft.configuration();
    LOG.info("Membership is now {} (configuration index {})", MembershipPlan.describe(now), now.index());
    return now;
  }

  /** This member does not lead; the request must go to the leader. */
  public static final class NotLeaderException extends RuntimeException {
    public NotLeaderException() {
      super("not the leader", null, false, false);
    }
  }
}
