package io.berth.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The condition of a compare-and-set: one field of the key compared with an expected value. Immutable.
 *
 * <pre>{@code
 * client.compareAndSet("config", Expect.version(3), "new");   // only if nobody wrote since version 3
 * client.compareAndSet("lock", Expect.absent(), "me");        // create only if missing
 * }</pre>
 */
public final class Expect {
  enum Field { VERSION, MOD_REVISION, VALUE }

  private final Field field;
  private final long number;
  private final byte[] value;

  private Expect(Field field, long number, byte[] value) {
    this.field = field;
    this.number = number;
    this.value = value;
  }

  /** The key's version (number of puts since creation) must equal {@code version}; 0 means "must not exist". */
  public static Expect version(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("expected version must be >= 0 (0 = the key must not exist), got "
          + version);
    }
    return new Expect(Field.VERSION, version, null);
  }

  /** The key must not exist (the same as {@code version(0)}). */
  public static Expect absent() {
    return version(0);
  }

  /** The key's last modification must have happened at store revision {@code modRevision}. */
  public static Expect modRevision(long modRevision) {
    if (modRevision < 0) {
      throw new IllegalArgumentException("expected mod revision must be >= 0, got " + modRevision);
    }
    return new Expect(Field.MOD_REVISION, modRevision, null);
  }

  /** The key must exist and hold exactly {@code value}. */
  public static Expect value(byte[] value) {
    return new Expect(Field.VALUE, 0, Objects.requireNonNull(value, "value").clone());
  }

  /** The key must exist and hold exactly {@code value} encoded as UTF-8. */
  public static Expect value(String value) {
    return value(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  Field field() {
    return field;
  }

  long number() {
    return number;
  }

  byte[] valueBytes() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expect e && field == e.field && number == e.number && Arrays.equals(value, e.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, number, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return switch (field) {
      case VERSION -> "version == " + number;
      case MOD_REVISION -> "modRevision == " + number;
      case VALUE -> "value == '" + new String(value, StandardCharsets.UTF_8) + "'";
    };
  }
}
