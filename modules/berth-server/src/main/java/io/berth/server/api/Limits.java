package io.berth.server.api;

import com.google.protobuf.ByteString;
import io.grpc.Status;

/**
 * Request size limits, checked before anything is replicated. Every violation is an {@code INVALID_ARGUMENT}
 * whose message names the limit, so a client can tell what to change.
 *
 * @param maxKeyBytes   largest key (4 KiB)
 * @param maxValueBytes largest value (1 MiB unless the server is configured otherwise)
 */
public record Limits(int maxKeyBytes, int maxValueBytes) {
  public static final int DEFAULT_MAX_KEY_BYTES = 4096;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1 << 20;

  public static Limits defaults() {
    return new Limits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);
  }

  public Limits {
    if (maxKeyBytes < 1 || maxValueBytes < 0) {
      throw new IllegalArgumentException("limits must be positive: key " + maxKeyBytes + ", value " + maxValueBytes);
    }
  }

  /** The largest gRPC message the client port accepts: one maximal value and key, plus room for the envelope. */
  public int maxMessageBytes() {
    return maxValueBytes + maxKeyBytes + 64 * 1024;
  }

  void checkKey(ByteString key, String field) {
    if (key.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription(field + " must not be empty").asRuntimeException();
    }
    if (key.size() > maxKeyBytes) {
      throw Status.INVALID_ARGUMENT.withDescription("key too large: " + key.size() + " bytes, the limit is "
          + maxKeyBytes + " bytes").asRuntimeException();
    }
  }

  void checkValue(ByteString value) {
    if (value.size() > maxValueBytes) {
      throw Status.INVALID_ARGUMENT.withDescription("value too large: " + value.size() + " bytes, the limit is "
          + maxValueBytes + " bytes (server flag --max-value-bytes)").asRuntimeException();
    }
  }
}
