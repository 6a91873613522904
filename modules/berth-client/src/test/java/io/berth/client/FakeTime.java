package io.berth.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when the retry loop sleeps, so budget tests run instantly and exactly. */
final class FakeTime implements Time {
  final List<Long> sleeps = new CopyOnWriteArrayList<>();
  private volatile long now = 1_000_000_000L;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleepNanos(long nanos) {
    sleeps.add(nanos);
    now += nanos;
  }

  long elapsedNanos() {
    return now - 1_000_000_000L;
  }
}
