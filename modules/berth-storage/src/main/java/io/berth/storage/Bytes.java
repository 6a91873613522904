package io.berth.storage;

import java.nio.ByteBuffer;

/** The fixed-width encodings of the meta column family: longs are 8 bytes, big-endian. */
final class Bytes {

  private Bytes() {}

  static byte[] ofLong(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  /** Decodes {@link #ofLong}; a missing value (null) is 0. */
  static long toLong(byte[] bytes, String what) {
    if (bytes == null) {
      return 0;
    }
    if (bytes.length != Long.BYTES) {
      throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, expected " + Long.BYTES);
    }
    return ByteBuffer.wrap(bytes).getLong();
  }
}
