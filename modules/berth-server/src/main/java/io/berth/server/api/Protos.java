package io.berth.server.api;

import com.google.protobuf.ByteString;
import io.berth.proto.v1.KeyValue;

/** Conversions between the replicated-log types and the public API types. */
final class Protos {
  private Protos() {}

  static KeyValue toPublic(io.berth.proto.internal.v1.KeyValue kv) {
    return toPublic(kv, kv.getKey(), kv.getValue());
  }

  /**
   * A command result's key-value, which carries neither key nor (unless asked for) value, with the key and
   * value of the request put back.
   */
  static KeyValue toPublic(io.berth.proto.internal.v1.KeyValue kv, ByteString key, ByteString value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(value)
        .setCreateRevision(kv.getCreateRevision())
        .setModRevision(kv.getModRevision())
        .setVersion(kv.getVersion())
        .setLease(kv.getLease())
        .build();
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}: the prefix with its last byte below
   * 0xff incremented and everything after it dropped; empty ("to the end") when the prefix is all 0xff.
   */
  static ByteString prefixEnd(ByteString prefix) {
    final byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.EMPTY;
  }
}
