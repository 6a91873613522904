package io.berth.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * What the load is made of: the operation mix, the key space ({@code keys} keys {@code <prefix>00000042}, chosen
 * uniformly at random) and the value (random bytes of {@code valueSize}, the same for every write).
 *
 * @param kind      {@code put}, {@code get}, {@code mixed} (reads with probability {@code readRatio}), or
 *                  {@code fill} (writes every key once, in order, then stops)
 * @param readRatio the share of reads in {@code mixed}, in [0, 1]
 */
public record Workload(Kind kind, double readRatio, int keys, int valueSize, String prefix) {
  public enum Kind { PUT, GET, MIXED, FILL }

  public Workload {
    if (keys < 1) {
      throw new IllegalArgumentException("--keys must be at least 1, got " + keys);
    }
    if (valueSize < 0) {
      throw new IllegalArgumentException("--value-size must not be negative, got " + valueSize);
    }
    if (readRatio < 0 || readRatio > 1) {
      throw new IllegalArgumentException("--read-ratio must be between 0 and 1, got " + readRatio);
    }
  }

  /** True when the workload reads keys, which should then exist (see {@code --prefill}). */
  public boolean reads() {
    return kind == Kind.GET || kind == Kind.MIXED && readRatio > 0;
  }

  /** Whether the next operation of a thread is a read. */
  boolean nextIsRead(SplittableRandom random) {
    return switch (kind) {
      case GET -> true;
      case PUT, FILL -> false;
      case MIXED -> random.nextDouble() < readRatio;
    };
  }

  byte[] key(int i) {
    return String.format("%s%08d", prefix, i).getBytes(StandardCharsets.UTF_8);
  }

  byte[] value() {
    final byte[] v = new byte[valueSize];
    new Random(valueSize).nextBytes(v);
    return v;
  }
}
