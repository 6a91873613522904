package io.berth.testkit.chaos;

/**
 * Traffic whose every call is recorded. {@link #start} launches its client threads; {@link #stop} lets each finish
 * its call in flight and joins them; {@link #finalReads} (after every fault is healed) reads back what it wrote.
 */
interface Workload {
  /** Its name in reports. */
  String name();

  void start();

  /** Stops the clients; a call still in flight after {@code waitMillis} stays an invocation without completion. */
  void stop(long waitMillis);

  /** Reads everything back, recorded, retrying reads that fail until {@code deadlineNanos}. */
  void finalReads(long deadlineNanos);
}
