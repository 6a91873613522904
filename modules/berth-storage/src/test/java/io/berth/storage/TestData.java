package io.berth.storage;

import com.google.protobuf.ByteString;
import io.berth.proto.internal.v1.KeyValue;
import java.nio.charset.StandardCharsets;

/** Small builders for store tests. */
final class TestData {

  private TestData() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(ByteString bytes) {
    return bytes.toStringUtf8();
  }

  /** A key as the applier would write it: created and modified at {@code revision}, version 1. */
  static KeyValue kv(byte[] key, String value, long revision) {
    return KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setValue(ByteString.copyFromUtf8(value))
        .setCreateRevision(revision)
        .setModRevision(revision)
        .setVersion(1)
        .build();
  }

  static KeyValue kv(String key, String value, long revision) {
    return kv(bytes(key), value, revision);
  }

  /** One mutation putting {@code key=value} at log index {@code index}, term 1, revision {@code index}. */
  static Mutation put(long index, String key, String value) {
    return new Mutation(new AppliedState(1, index, index)).put(kv(key, value, index));
  }
}
