/**
 * The replicated state machine: {@link io.berth.server.statemachine.Applier} turns one log entry and the current
 * state into one atomic {@link io.berth.storage.Mutation} (pure, deterministic);
 * {@link io.berth.server.statemachine.KvStateMachine} adapts it to Ratis (lifecycle, replay, queries) and
 * {@link io.berth.server.statemachine.CheckpointSnapshotStorage} keeps snapshots as RocksDB checkpoints.
 */
package io.berth.server.statemachine;
