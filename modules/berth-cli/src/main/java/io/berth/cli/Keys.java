package io.berth.cli;

import java.nio.charset.StandardCharsets;

/** Checks a KEY argument against the API's fixed key limits before anything is sent. */
final class Keys {
  /** Fixed by the public API (kv.proto): a key is 1 to 4096 bytes. */
  static final int MAX_KEY_BYTES = 4096;

  private Keys() {}

  static byte[] utf8(String key) {
    final byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      throw new CliException(ExitCodes.USAGE, "KEY must not be empty (a key is 1 to " + MAX_KEY_BYTES + " bytes)");
    }
    if (bytes.length > MAX_KEY_BYTES) {
      throw new CliException(ExitCodes.USAGE, "KEY is " + bytes.length + " bytes, over the limit (a key is 1 to "
          + MAX_KEY_BYTES + " bytes)");
    }
    return bytes;
  }
}
