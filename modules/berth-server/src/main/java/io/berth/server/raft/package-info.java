/**
 * Everything that touches Ratis directly: the server wiring ({@link io.berth.server.raft.RaftNode}), its typed
 * settings ({@link io.berth.server.raft.RaftSettings}) and the one codec between Ratis' shaded protobuf and ours
 * ({@link io.berth.server.raft.RaftCodec}).
 */
package io.berth.server.raft;
