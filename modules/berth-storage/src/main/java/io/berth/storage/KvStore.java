package io.berth.storage;

import io.berth.proto.internal.v1.MemberIdentity;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A member's durable key-value state. Writes come only from the state machine, in log order, one
 * {@link Mutation} per applied entry; reads may come from any thread.
 *
 * <p>Durability: a commit is written to the RocksDB WAL without fsync (it survives a process crash; after a
 * machine crash the Raft log replays it). {@link #flush()} makes everything committed so far durable, and is
 * called before a snapshot is declared.
 */
public interface KvStore extends ReadView, AutoCloseable {

  /**
   * Applies {@code mutation} atomically: data, deduplication record, revision and applied (term, index) in one
   * write batch.
   *
   * @throws IllegalStateException if the mutation's applied index is not above the current one (the applied
   *     position never goes backwards)
   * @throws StorageException if RocksDB fails; the caller must stop the member
   */
  void commit(Mutation mutation);

  /** Makes every committed mutation durable (flushes memtables, syncs the WAL). */
  void flush();

  /**
   * Writes a consistent point-in-time copy of the store to {@code target} (which must not exist) as a RocksDB
   * checkpoint: hard links on the same volume, so it is cheap. The copy is durable when this returns.
   *
   * @return the applied state the checkpoint holds
   */
  AppliedState checkpoint(Path target);

  /** SHA-256 over every key, value and metadata in order, plus the revision: equal on replicas in the same state. */
  byte[] contentHash();

  /** The identity recorded in the meta column family at first start, if any. */
  Optional<MemberIdentity> identity();

  void writeIdentity(MemberIdentity identity);

  /**
   * An integer RocksDB property of one column family of {@link Schema#COLUMN_FAMILIES} (for example
   * {@code rocksdb.total-sst-files-size}, {@code rocksdb.estimate-live-data-size},
   * {@code rocksdb.cur-size-all-mem-tables}, {@code rocksdb.estimate-num-keys}), for metrics. Empty when the
   * store is closed or RocksDB does not know the property. Thread-safe.
   *
   * @throws IllegalArgumentException if {@code family} is not a column family of the schema
   */
  OptionalLong longProperty(String family, String property);

  /** The directory holding the live database. */
  Path directory();

  /** Closes the database; further calls fail. Idempotent. */
  @Override
  void close();
}
