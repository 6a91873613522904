package io.berth.server.statemachine;

import java.time.Duration;

/**
 * What the state machine tells observers (metrics) about itself. Called on Ratis' threads: implementations must
 * be quick and must not throw.
 */
public interface StateMachineEvents {
  /** Ignores everything. */
  StateMachineEvents NONE = new StateMachineEvents() {};

  /** This member saw a new leader ({@code leader} empty while there is none). */
  default void leaderChanged(String leader) {}

  /** This member wrote a snapshot of its own state. */
  default void snapshotTaken(Duration took) {}

  /**
   * This member replaced its state with a snapshot installed from the leader; {@code took} runs from Ratis
   * pausing the state machine (all chunks received) to the reopened database.
   */
  default void snapshotInstalled(Duration took) {}
}
