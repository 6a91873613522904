package io.berth.client;

/** How fresh a read must be. */
public enum Consistency {
  /**
   * The answer reflects every write acknowledged before the read started, whichever member answers (the member
   * first catches up with the leader's commit index). Needs a leader; the default.
   */
  LINEARIZABLE,
  /**
   * The answering member's local state: never torn, possibly stale, and available without a leader (for
   * example during an election or in a minority partition).
   */
  SERIALIZABLE
}
