package io.berth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a compare-and-set. A failed comparison is an ordinary answer ({@code succeeded == false}), not
 * an exception.
 *
 * @param succeeded    true when the comparison matched and the put or delete was applied
 * @param kv           on success, the key after the write (empty after a delete); on failure, the key as it was
 *                     compared (empty when it did not exist)
 * @param revision     the store revision the answer reflects (after the write, on success)
 * @param member       the member that answered
 * @param term         the Raft term at that member when it answered
 * @param deduplicated true when a retry found the command already applied and this is its stored result
 */
public record CasResult(boolean succeeded, Optional<KeyValue> kv, long revision, String member, long term,
    boolean deduplicated) {
  public CasResult {
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(member, "member");
  }
}
