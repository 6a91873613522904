package io.berth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link BerthClient#put put}.
 *
 * @param kv           the key as written, with its new metadata
 * @param prevKv       the key before the write; only filled by {@link BerthClient#getAndPut getAndPut}, and empty
 *                     when the key did not exist
 * @param revision     the store revision after the write
 * @param member       the member that answered
 * @param term         the Raft term at that member when it answered
 * @param deduplicated true when a retry found the write already applied and this is its stored result
 */
public record PutResult(KeyValue kv, Optional<KeyValue> prevKv, long revision, String member, long term,
    boolean deduplicated) {
  public PutResult {
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(prevKv, "prevKv");
    Objects.requireNonNull(member, "member");
  }
}
