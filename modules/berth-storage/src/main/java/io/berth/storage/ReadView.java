package io.berth.storage;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.KeyValue;
import java.util.Optional;

/**
 * Reads of the current (latest applied) state. Every call sees the state after some complete applied command;
 * it never sees half of a {@link Mutation}. Thread-safe.
 */
public interface ReadView {

  /** The key with its metadata (create/mod revision, version), or empty when it does not exist. */
  Optional<KeyValue> get(byte[] key);

  /**
   * Keys in {@code [start, end)} in unsigned byte order; an empty {@code end} means "to the end".
   *
   * @param limit at most this many keys in {@link RangeResult#kvs()} (0 = no limit)
   */
  RangeResult range(byte[] start, byte[] end, long limit, boolean keysOnly, boolean countOnly);

  /** The applied term/index and revision, read together with the data they describe. */
  AppliedState applied();

  /** The stored result of an earlier command with this idempotency key, if it has not expired. */
  Optional<CommandResult> dedup(String clientId, long sequence);
}
