package io.berth.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key encoding of the {@link Schema#DEDUP} column family.
 *
 * <p>A record key is {@code 'r' + clientId (UTF-8) + 0x00 + sequence (8 bytes BE)}; the sequence has a fixed
 * width at the end, so the encoding is unambiguous even if a client id contains NUL. An index key is
 * {@code 'x' + appliedIndex (8 bytes BE) + recordKey}: the index keys sort by the log index at which their record
 * was applied, so expiring "everything applied below index i" is one bounded scan of {@code ['x', 'x' + i)}.
 */
final class DedupKeys {

  private static final byte RECORD = 'r';
  private static final byte INDEX = 'x';

  private DedupKeys() {}

  static byte[] record(String clientId, long sequence) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + id.length + 1 + Long.BYTES)
        .put(RECORD)
        .put(id)
        .put((byte) 0)
        .putLong(sequence)
        .array();
  }

  static byte[] index(long appliedIndex, byte[] recordKey) {
    return ByteBuffer.allocate(1 + Long.BYTES + recordKey.length)
        .put(INDEX)
        .putLong(appliedIndex)
        .put(recordKey)
        .array();
  }

  /** The first index key of records applied at {@code appliedIndex} (and the exclusive bound of those below). */
  static byte[] indexBound(long appliedIndex) {
    return ByteBuffer.allocate(1 + Long.BYTES).put(INDEX).putLong(appliedIndex).array();
  }

  /** The record key an index key points at. */
  static byte[] recordOf(byte[] indexKey) {
    return Arrays.copyOfRange(indexKey, 1 + Long.BYTES, indexKey.length);
  }
}
