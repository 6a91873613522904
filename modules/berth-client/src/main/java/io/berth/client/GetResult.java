package io.berth.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a {@link BerthClient#get get}.
 *
 * @param kv       the key, or empty when it does not exist
 * @param revision the store revision the answer reflects
 * @param member   the member that answered
 * @param term     the Raft term at that member when it answered
 */
public record GetResult(Optional<KeyValue> kv, long revision, String member, long term) {
  public GetResult {
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(member, "member");
  }

  /** True when the key exists. */
  public boolean found() {
    return kv.isPresent();
  }

  /** The value decoded as UTF-8, or empty when the key does not exist. */
  public Optional<String> valueUtf8() {
    return kv.map(KeyValue::valueUtf8);
  }
}
