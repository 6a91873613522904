package io.berth.server.identity;

import java.util.Objects;

/**
 * How a member may start, given what its volume holds and whether the cluster already exists.
 *
 * <p>Raft's safety rests on every voter remembering its log and its vote across restarts. A member whose
 * volume was lost or replaced still has its old name, but not that memory: if it started as the voter it
 * used to be, it could vote twice in one term or help elect a leader that lacks committed entries. So a volume
 * without Raft state may only <em>bootstrap</em> a cluster that has never committed anything; if the cluster
 * exists it must come back as a new member under a new peer id (the next {@link Incarnation} of its pod), added
 * by the leader as a listener in place of its old self and promoted once caught up. This class is the decision
 * only; asking the peers and acting on it is the server's job.
 */
public enum StartMode {
  /** First start of a new cluster: write the marker if absent, start as a voter with the configured peers. */
  BOOTSTRAP,
  /** The volume holds this member's identity and Raft state: recover from it and rejoin as the same voter. */
  RESTART,
  /**
   * The volume has no Raft state but the cluster exists: start with no group configuration (so this member
   * cannot vote) under a new peer id, and join (ask the leader, or wait for {@code berth member add}); never
   * as the old voter.
   */
  REJOIN,
  /** The volume has no Raft state and it is not known yet whether the cluster exists: ask again later. */
  WAIT,
  /**
   * The volume holds Raft state but no identity marker: whose data it is cannot be told. Stop with an error
   * naming the data directory; never adopt or overwrite it.
   */
  REFUSE;

  /** Whether the cluster exists, as far as the answering peers tell. */
  public enum ClusterState {
    /** No entry can have been committed: a majority of the members, this one included, has no Raft state. */
    NEW,
    /** At least one peer has Raft state. */
    EXISTS,
    /** Too few peers answered to tell (or they were not asked). */
    UNKNOWN;

    /**
     * Classifies the answers of the other members to "do you hold Raft state?". Any "yes" means the cluster
     * exists. Otherwise it is new only when this member (which has none) and the "no" answers form a majority
     * of {@code members}: every committed entry lives on a majority, which would include one of them. Peers
     * that did not answer count for neither.
     *
     * @param members     the configured number of voting members, this one included
     * @param emptyPeers  other members that answered "no Raft state"
     * @param formedPeers other members that answered "has Raft state"
     */
    public static ClusterState fromAnswers(int members, int emptyPeers, int formedPeers) {
      if (members < 1 || emptyPeers < 0 || formedPeers < 0 || emptyPeers + formedPeers > members - 1) {
        throw new IllegalArgumentException("impossible answers: members=" + members + " empty=" + emptyPeers
            + " formed=" + formedPeers);
      }
      if (formedPeers > 0) {
        return EXISTS;
      }
      return 2 * (emptyPeers + 1) > members ? NEW : UNKNOWN;
    }
  }

  /**
   * Decides how to start. Call it first with {@link ClusterState#UNKNOWN}: only {@link #WAIT} needs the peers
   * asked (see {@link ClusterState#fromAnswers}), and then call it again with their answer.
   *
   * @param markerPresent    the volume has an {@link IdentityMarker} (already {@link IdentityMarker#check
   *                         checked} against this member)
   * @param raftStatePresent the volume holds Raft state: a log, a snapshot or a persisted term and vote
   * @param cluster          whether the cluster exists
   */
  public static StartMode decide(boolean markerPresent, boolean raftStatePresent, ClusterState cluster) {
    Objects.requireNonNull(cluster, "cluster");
    if (raftStatePresent) {
      return markerPresent ? RESTART : REFUSE;
    }
    // No Raft state; a marker alone (first start interrupted, or data removed by hand) proves nothing.
    return switch (cluster) {
      case NEW -> BOOTSTRAP;
      case EXISTS -> REJOIN;
      case UNKNOWN -> WAIT;
    };
  }
}
