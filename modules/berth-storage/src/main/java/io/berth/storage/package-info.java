/**
 * The member's RocksDB store: key layout ({@link io.berth.storage.Schema}), etcd-style MVCC metadata, the
 * applied Raft position kept atomically with the data, deduplication records, and checkpoints for snapshots.
 * Knows nothing of Ratis or gRPC.
 */
package io.berth.storage;
