package io.berth.client;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a scan.
 *
 * @param kvs      the keys found, in byte order, at most the limit; empty when only counting
 * @param count    the number of keys in the whole range, regardless of the limit
 * @param more     true when the limit cut the answer short
 * @param revision the store revision the answer reflects
 * @param member   the member that answered
 * @param term     the Raft term at that member when it answered
 */
public record ScanResult(List<KeyValue> kvs, long count, boolean more, long revision, String member, long term) {
  public ScanResult {
    kvs = List.copyOf(kvs);
    Objects.requireNonNull(member, "member");
  }
}
