package io.berth.testkit.chaos;

import java.util.List;

/** Sleeping and joining without checked exceptions; an interrupt is kept and ends the wait. */
final class Pause {
  private Pause() {}

  static void millis(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Joins {@code threads}, all within {@code waitMillis} in total. */
  static void join(List<Thread> threads, long waitMillis) {
    final long deadline = System.nanoTime() + waitMillis * 1_000_000;
    for (Thread t : threads) {
      final long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
