package io.berth.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Raft configuration: who votes, who only listens, and how far each member is behind the leader.
 *
 * @param leader      the leader's name, empty when the answering member knows none
 * @param configIndex the log index of the configuration entry
 * @param members     voters first, then listeners
 * @param member      the member that answered
 */
public record Membership(Optional<String> leader, long configIndex, List<Member> members, String member) {
  public Membership {
    Objects.requireNonNull(leader, "leader");
    members = List.copyOf(members);
    Objects.requireNonNull(member, "member");
  }

  /** The voters. */
  public List<Member> voters() {
    return members.stream().filter(m -> m.role() == Role.VOTER).toList();
  }

  /** The listeners (members that receive the log but do not vote). */
  public List<Member> listeners() {
    return members.stream().filter(m -> m.role() == Role.LISTENER).toList();
  }

  /** A member's part in the configuration. */
  public enum Role {
    VOTER, LISTENER
  }

  /**
   * One member of the configuration.
   *
   * @param name          the Raft peer id: the pod name, or {@code pod~N} for a later incarnation of the pod
   * @param pod           the pod it runs in
   * @param role          voter or listener
   * @param raftAddress   host:port of its Raft port
   * @param clientAddress host:port of its client port (empty when unknown)
   * @param leader        true for the leader
   * @param commitIndex   its commit index as last reported to the leader (0 when the answer did not come from
   *                      the leader)
   * @param lag           how many entries it is behind the leader's commit index
   * @param live          true when the leader heard from it within the election timeout
   */
  public record Member(String name, String pod, Role role, String raftAddress, String clientAddress,
      boolean leader, long commitIndex, long lag, boolean live) {}
}
