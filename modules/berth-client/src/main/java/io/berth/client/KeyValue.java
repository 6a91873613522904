package io.berth.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key, its value and its etcd-style metadata.
 *
 * <p>Every result holds arrays of its own (copied out of the response), so the caller may keep or modify them;
 * {@link #equals} and {@link #hashCode} compare array contents.
 *
 * @param key            the key
 * @param value          the value; empty when the read asked for keys only
 * @param createRevision the store revision at which the key was created (since its last delete)
 * @param modRevision    the store revision of the key's last modification
 * @param version        the number of puts since creation: 1 after the first
 */
public record KeyValue(byte[] key, byte[] value, long createRevision, long modRevision, long version) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /** The key decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String keyUtf8() {
    return new String(key, StandardCharsets.UTF_8);
  }

  /** The value decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String valueUtf8() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv && Arrays.equals(key, kv.key) && Arrays.equals(value, kv.value)
        && createRevision == kv.createRevision && modRevision == kv.modRevision && version == kv.version;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), createRevision, modRevision, version);
  }

  @Override
  public String toString() {
    return "KeyValue[key=" + keyUtf8() + ", value=" + value.length + " bytes, createRevision=" + createRevision
        + ", modRevision=" + modRevision + ", version=" + version + "]";
  }
}
