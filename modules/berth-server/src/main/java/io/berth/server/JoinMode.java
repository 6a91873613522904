package io.berth.server;

/**
 * What a member that is not in the Raft configuration does at start: a pod created by scaling up, or a pod
 * that came back on an empty volume (as a new incarnation). Either way it starts with no configuration, so it
 * cannot vote or lead, and it is never added as a side effect of merely starting in {@link #MANUAL} mode.
 */
public enum JoinMode {
  /**
   * Ask the leader to add it as a listener, then to promote it to voter once it has caught up. The leader
   * refuses while that would lose quorum (for example while too few other members are up); the member keeps
   * asking, with backoff.
   */
  AUTO,
  /** Wait for an operator's {@code berth member add} and {@code berth member promote}. */
  MANUAL
}
