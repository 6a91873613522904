package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.BerthException;
import io.berth.client.ScanOptions;
import io.berth.client.ScanResult;
import io.berth.testkit.local.LocalStatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One writer putting {@code load/<n>} = {@code n} in a loop against a local StatefulSet, one write in flight,
 * recording when each write was acknowledged. Its client follows the pods' IPs (a rescheduled pod has a new
 * one). A write that fails or times out is not acknowledged (it may still have been applied) and is not
 * retried: the next write uses the next key.
 */
final class WriteLoad implements AutoCloseable {
  /** An acknowledged write: its key number and when the acknowledgement arrived. */
  record Ack(long n, long atNanos) {}

  private final LocalStatefulSet sts;
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stop;

  WriteLoad(LocalStatefulSet sts) {
    this.sts = sts;
    this.thread = new Thread(this::run, "write-load");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private BerthClient connect(List<String> endpoints) {
    return BerthClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(2))
        .retryBudget(Duration.ofSeconds(4)).build();
  }

  private void run() {
    List<String> endpoints = sts.endpoints();
    BerthClient client = connect(endpoints);
    try {
      for (long n = 0; !stop; n++) {
        final List<String> now = sts.endpoints();
        if (!now.equals(endpoints) && !now.isEmpty()) {
          client.close();
          endpoints = now;
          client = connect(endpoints);
        }
        try {
          client.put("load/" + n, Long.toString(n));
          acks.add(new Ack(n, System.nanoTime()));
        } catch (BerthException e) { // ClusterUnavailableException included
          failures.add("load/" + n + ": " + e.getMessage());
        }
      }
    } finally {
      client.close();
    }
  }

  /** Acknowledged writes so far. */
  int acknowledged() {
    return acks.size();
  }

  /** Writes that were not acknowledged, with why. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Waits until {@code more} further writes were acknowledged. */
  void awaitMore(int more, Duration timeout) throws InterruptedException {
    final int target = acks.size() + more;
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (acks.size() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + acks.size() + " of " + target + " writes acknowledged after "
            + timeout.toSeconds() + " s; last failures: " + tail(failures));
      }
      Thread.sleep(20);
    }
  }

  /**
   * The longest time in [{@code fromNanos}, {@code toNanos}] without an acknowledged write: the largest gap
   * between consecutive acknowledgements, the window's ends included.
   */
  Duration longestGap(long fromNanos, long toNanos) {
    long previous = fromNanos;
    long longest = 0;
    for (Ack a : acks) {
      if (a.atNanos() < fromNanos || a.atNanos() > toNanos) {
        continue;
      }
      longest = Math.max(longest, a.atNanos() - previous);
      previous = a.atNanos();
    }
    return Duration.ofNanos(Math.max(longest, toNanos - previous));
  }

  /** Stops writing and waits for the write in flight. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(Duration.ofSeconds(30).toMillis());
  }

  /**
   * Reads every key back (linearizably) and returns the acknowledged writes that are missing or wrong; empty
   * when none was lost.
   */
  List<String> lostWrites(BerthClient client) {
    final Map<String, String> stored = new HashMap<>();
    final ScanResult all = client.scanPrefix("load/".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        ScanOptions.defaults());
    all.kvs().forEach(kv -> stored.put(kv.keyUtf8(), kv.valueUtf8()));
    final List<String> lost = new ArrayList<>();
    for (Ack a : acks) {
      final String v = stored.get("load/" + a.n());
      if (!Long.toString(a.n()).equals(v)) {
        lost.add("load/" + a.n() + " = " + v);
      }
    }
    return lost;
  }

  private static List<String> tail(List<String> l) {
    return l.subList(Math.max(0, l.size() - 3), l.size());
  }
}
