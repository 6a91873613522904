package io.berth.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The load generator against an in-memory target: what it sends, what it counts, what it reports. */
class LoadRunnerTest {
  /** Stores puts in a map, counts reads, and fails every {@code failEvery}-th call with {@code kind}. */
  static final class MemoryTarget implements BenchTarget {
    final Map<String, Integer> writes = new ConcurrentHashMap<>();
    final LongAdder reads = new LongAdder();
    final AtomicInteger calls = new AtomicInteger();
    final int failEvery;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    MemoryTarget(int failEvery) {
      this.failEvery = failEvery;
    }

    private void call() throws Exception {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(1);
        if (failEvery > 0 && calls.incrementAndGet() % failEvery == 0) {
          throw new IllegalStateException("injected");
        }
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
      call();
      writes.merge(new String(key, StandardCharsets.UTF_8) + "=" + value.length, 1, Integer::sum);
    }

    @Override
    public void get(byte[] key) throws Exception {
      call();
      reads.increment();
    }

    @Override
    public String errorKind(Throwable failure) {
      return failure.getClass().getSimpleName();
    }

    @Override
    public void close() {}
  }

  @Test
  void fillWritesEveryKeyExactlyOnceWithTheValueSize() throws Exception {
    final MemoryTarget target = new MemoryTarget(0);
    final LoadRunner.Result r = LoadRunner.run(target, new Workload(Workload.Kind.FILL, 0, 500, 256, "k/"),
        new LoadRunner.Settings(8, Duration.ZERO, Duration.ofSeconds(1)), "fill", line -> {});
    assertEquals(500, target.writes.size());
    assertTrue(target.writes.values().stream().allMatch(n -> n == 1), "each key once");
    assertTrue(target.writes.containsKey("k/00000000=256") && target.writes.containsKey("k/00000499=256"));
    assertEquals(500, r.ops().get("put").count());
    assertEquals(0, r.errorCount());
    assertTrue(target.maxInFlight.get() <= 8, "never more than --in-flight: " + target.maxInFlight.get());
  }

  @Test
  void mixedSplitsByReadRatioCountsFailuresByKindAndPrintsProgressEverySecond() throws Exception {
    final MemoryTarget target = new MemoryTarget(10);
    final List<String> lines = new CopyOnWriteArrayList<>();
    final LoadRunner.Result r = LoadRunner.run(target, new Workload(Workload.Kind.MIXED, 0.8, 100, 16, "m/"),
        new LoadRunner.Settings(4, Duration.ofMillis(1500), Duration.ofSeconds(2)), "measure", lines::add);
    final long gets = r.ops().get("get").count();
    final long puts = r.ops().get("put").count();
    assertTrue(gets > 0 && puts > 0, r.toString());
    final double share = gets / (double) (gets + puts);
    assertTrue(share > 0.6 && share < 0.95, "read share " + share);
    assertTrue(r.errors().containsKey("IllegalStateException") && r.errorCount() > 0, r.errors().toString());
    assertEquals(r.errors().keySet(), java.util.Set.of("IllegalStateException"));
    assertTrue(r.seconds() > 1.9 && r.seconds() < 2.1, "measured seconds " + r.seconds());
    assertTrue(r.throughput() > 0);
    final LoadRunner.OpStats s = r.ops().get("get");
    assertTrue(s.p50() <= s.p90() && s.p90() <= s.p99() && s.p99() <= s.p999() && s.p999() <= s.max(), s.toString());
    assertTrue(s.p50() >= 1.0, "each call sleeps 1 ms: " + s);
    assertTrue(lines.size() >= 2, "a progress line a second: " + lines);
    assertTrue(lines.get(0).contains("warmup") && lines.get(lines.size() - 1).contains("measure"), lines.toString());
  }

  @Test
  void settingsAndWorkloadRejectNonsenseWithTheOptionName() {
    assertEquals("--in-flight must be at least 1, got 0", assertThrowsIae(() ->
        new LoadRunner.Settings(0, Duration.ZERO, Duration.ofSeconds(1))));
    assertEquals("--read-ratio must be between 0 and 1, got 1.5", assertThrowsIae(() ->
        new Workload(Workload.Kind.MIXED, 1.5, 10, 1, "")));
    assertEquals("--keys must be at least 1, got 0", assertThrowsIae(() ->
        new Workload(Workload.Kind.PUT, 0, 0, 1, "")));
  }

  private static String assertThrowsIae(Runnable r) {
    return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
