package io.berth.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.client.KeyValue;

/**
 * A key in JSON output: {@code {"key","value","createRevision","modRevision","version"}}, key and value decoded
 * as UTF-8; {@code value} is left out when only keys were asked for.
 */
record KvJson(String key, @JsonInclude(JsonInclude.Include.NON_NULL) String value, long createRevision,
    long modRevision, long version) {

  static KvJson of(KeyValue kv, boolean withValue) {
    return new KvJson(kv.keyUtf8(), withValue ? kv.valueUtf8() : null, kv.createRevision(), kv.modRevision(),
        kv.version());
  }

  /** The shape of {@code get} and {@code put}: the key's fields and the store revision, flat. */
  record AtRevision(String key, String value, long createRevision, long modRevision, long version, long revision) {
    static AtRevision of(KeyValue kv, long revision) {
      return new AtRevision(kv.keyUtf8(), kv.valueUtf8(), kv.createRevision(), kv.modRevision(), kv.version(),
          revision);
    }
  }
}
