package io.berth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link BerthClient#delete delete}.
 *
 * @param deleted      true when the key existed (and is now gone)
 * @param prevKv       the key before the delete; only filled by {@link BerthClient#getAndDelete getAndDelete}
 * @param revision     the store revision after the delete (unchanged when nothing was deleted)
 * @param member       the member that answered
 * @param term         the Raft term at that member when it answered
 * @param deduplicated true when a retry found the delete already applied and this is its stored result
 */
public record DeleteResult(boolean deleted, Optional<KeyValue> prevKv, long revision, String member, long term,
    boolean deduplicated) {
  public DeleteResult {
    Objects.requireNonNull(prevKv, "prevKv");
    Objects.requireNonNull(member, "member");
  }
}
