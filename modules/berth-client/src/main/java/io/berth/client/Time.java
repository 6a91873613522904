package io.berth.client;

import java.util.concurrent.TimeUnit;

/** The clock and sleep the retry loop uses; tests substitute a fake that advances instantly. */
interface Time {
  long nanoTime();

  void sleepNanos(long nanos) throws InterruptedException;

  Time SYSTEM = new Time() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  };
}
