package io.berth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * One member as seen by the member that answered a {@link BerthClient#status status} call (which asks every
 * member with a short deadline).
 *
 * @param name          the member's name, e.g. {@code berth-1}
 * @param role          its Raft role; {@link Role#UNKNOWN} when it did not answer
 * @param raftAddress   its peer (Raft) address, host:port
 * @param clientAddress its client (gRPC) address, host:port
 * @param commitIndex   the highest log index it knows to be committed
 * @param appliedIndex  the highest log index its state machine has applied
 * @param healthy       true when it answered and its state machine is running
 * @param term          its current Raft term
 * @param leader        the leader it knows of, empty if none
 * @param revision      its store revision
 * @param roleElapsedMs milliseconds since it last saw a leader change
 */
public record MemberStatus(String name, Role role, String raftAddress, String clientAddress, long commitIndex,
    long appliedIndex, boolean healthy, long term, Optional<String> leader, long revision, long roleElapsedMs) {

  /** A member's Raft role. */
  public enum Role {
    LEADER, FOLLOWER, CANDIDATE, LISTENER,
    /** The member did not answer, or reported a role this client does not know. */
    UNKNOWN;

    static Role parse(String role) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(role)) {
          return r;
        }
      }
      return UNKNOWN;
    }
  }

  public MemberStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(raftAddress, "raftAddress");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(leader, "leader");
  }
}
