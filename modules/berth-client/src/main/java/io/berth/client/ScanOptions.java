package io.berth.client;

import java.util.Objects;

/**
 * How a scan reads: limit, keys only or count only, and consistency. Immutable; every method returns a copy.
 *
 * <pre>{@code
 * client.scanPrefix(prefix, ScanOptions.defaults().withLimit(100).withKeysOnly());
 * }</pre>
 *
 * @param limit       at most this many keys (0 = no limit)
 * @param keysOnly    return keys and metadata without values
 * @param countOnly   return only the count of keys in the range
 * @param consistency how fresh the answer must be
 */
public record ScanOptions(long limit, boolean keysOnly, boolean countOnly, Consistency consistency) {
  private static final ScanOptions DEFAULTS = new ScanOptions(0, false, false, Consistency.LINEARIZABLE);

  public ScanOptions {
    if (limit < 0) {
      throw new IllegalArgumentException("scan limit must be >= 0 (0 = no limit), got " + limit);
    }
    Objects.requireNonNull(consistency, "consistency");
  }

  /** No limit, keys and values, linearizable. */
  public static ScanOptions defaults() {
    return DEFAULTS;
  }

  public ScanOptions withLimit(long max) {
    return new ScanOptions(max, keysOnly, countOnly, consistency);
  }

  public ScanOptions withKeysOnly() {
    return new ScanOptions(limit, true, countOnly, consistency);
  }

  public ScanOptions withCountOnly() {
    return new ScanOptions(limit, keysOnly, true, consistency);
  }

  public ScanOptions withConsistency(Consistency c) {
    return new ScanOptions(limit, keysOnly, countOnly, c);
  }
}
