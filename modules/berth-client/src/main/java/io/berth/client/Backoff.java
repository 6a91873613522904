package io.berth.client;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": before retry {@code n} (0-based) wait between half and all of
 * {@code min(max, base * 2^n)}, so clients that failed together do not retry together, yet never retry in a
 * tight loop.
 */
final class Backoff {
  private final long baseNanos;
  private final long maxNanos;
  private final DoubleSupplier random;

  Backoff(long baseNanos, long maxNanos, DoubleSupplier random) {
    this.baseNanos = baseNanos;
    this.maxNanos = maxNanos;
    this.random = random;
  }

  long delayNanos(int retry) {
    final long cap = retry >= 62 || baseNanos > (maxNanos >> retry) ? maxNanos : baseNanos << retry;
    final long half = cap / 2;
    return half + (long) (random.getAsDouble() * (cap - half));
  }
}
