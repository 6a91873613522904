package io.berth.storage;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Everything one applied log entry changes, committed by {@link KvStore#commit} as a single RocksDB write batch:
 * key puts and deletes, the deduplication record, and the new applied position. Either all of it is visible
 * after a crash or none of it is.
 *
 * <p>Built by the (pure) applier, consumed once by the store. Not thread-safe.
 */
public final class Mutation {

  /** A deduplication record: the result of the command with this idempotency key. */
  public record Dedup(String clientId, long sequence, CommandResult result) {}

  private final AppliedState applied;
  private final List<KeyValue> puts = new ArrayList<>();
  private final List<byte[]> deletes = new ArrayList<>();
  private final List<Dedup> dedups = new ArrayList<>();
  private long expireDedupBefore;

  /** @param applied the position after this entry; its index must be above the store's current one */
  public Mutation(AppliedState applied) {
    this.applied = Objects.requireNonNull(applied, "applied");
  }

  /** Writes {@code kv} (key, value and metadata as given) under {@code kv.getKey()}. */
  public Mutation put(KeyValue kv) {
    puts.add(Objects.requireNonNull(kv, "kv"));
    return this;
  }

  public Mutation delete(byte[] key) {
    deletes.add(Objects.requireNonNull(key, "key"));
    return this;
  }

  /**
   * Stores the result of a command so a retry with the same idempotency key returns it. An entry that carries a
   * batch of commands records one per command; each key at most once.
   */
  public Mutation recordDedup(String clientId, long sequence, CommandResult result) {
    dedups.add(new Dedup(Objects.requireNonNull(clientId, "clientId"), sequence, Objects.requireNonNull(result)));
    return this;
  }

  /**
   * Drops deduplication records applied at a log index below {@code index}. Expiry is by log position, never by
   * wall clock, so every replica drops the same records at the same entry.
   */
  public Mutation expireDedupBefore(long index) {
    this.expireDedupBefore = index;
    return this;
  }

  public AppliedState applied() {
    return applied;
  }

  public List<KeyValue> puts() {
    return Collections.unmodifiableList(puts);
  }

  public List<byte[]> deletes() {
    return Collections.unmodifiableList(deletes);
  }

  /** The deduplication records to store, in the order they were recorded. */
  public List<Dedup> dedups() {
    return Collections.unmodifiableList(dedups);
  }

  /** Records applied below this index are dropped (0 = none). */
  public long expireDedupBefore() {
    return expireDedupBefore;
  }
}
