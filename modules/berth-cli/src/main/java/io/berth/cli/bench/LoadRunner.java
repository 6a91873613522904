package io.berth.cli.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed loop: {@code inFlight} threads, each sending one request and the next as soon as the answer came,
 * for a warm-up and then a measured duration. One thread per request in flight keeps the measurement simple (a
 * request's latency is exactly the time its thread waited) and is the same for every target.
 *
 * <p>A request counts in the result when it started after the warm-up and finished before the end; requests
 * still in flight at the end are awaited but not counted. Latencies go to HdrHistogram {@link Recorder}s (lock
 * free for the threads); every second the caller gets a progress line from the last second's samples.
 */
public final class LoadRunner {
  /** How hard and how long. */
  public record Settings(int inFlight, Duration warmup, Duration duration) {
    public Settings {
      if (inFlight < 1) {
        throw new IllegalArgumentException("--in-flight must be at least 1, got " + inFlight);
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be positive, got " + duration);
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
      }
    }
  }

  /** Latency figures of one operation type, in milliseconds; throughput in operations per second. */
  public record OpStats(long count, double throughput, double p50, double p90, double p99, double p999, double max,
      double mean) {
    static OpStats of(Histogram h, double seconds) {
      return new OpStats(h.getTotalCount(), seconds > 0 ? h.getTotalCount() / seconds : 0,
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount() == 0 ? 0 : h.getMean() / 1e6);
    }

    private static double ms(long nanos) {
      return nanos / 1e6;
    }
  }

  /**
   * The measured phase: per operation type ({@code put}, {@code get}), the total throughput, failures by kind,
   * and the measured time in seconds.
   */
  public record Result(Map<String, OpStats> ops, double throughput, Map<String, Long> errors, double seconds) {
    public long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static final String[] OPS = {"put", "get"};

  private final BenchTarget target;
  private final Workload workload;
  private final Settings settings;
  private final Recorder[] progress = {new Recorder(3), new Recorder(3)};
  private final Recorder[] measured = {new Recorder(3), new Recorder(3)};
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder intervalErrors = new LongAdder();
  private final AtomicInteger nextFillKey = new AtomicInteger();
  private final byte[] value;
  private volatile Throwable crashed;

  private LoadRunner(BenchTarget target, Workload workload, Settings settings) {
    this.target = target;
    this.workload = workload;
    this.settings = settings;
    this.value = workload.value();
  }

  /**
   * Runs the workload and returns the measured phase. A {@link Workload.Kind#FILL} workload has no warm-up and
   * ends when every key was written once.
   *
   * @param label    names the phase in progress lines ({@code warmup} is shown during the warm-up)
   * @param progress receives one line a second
   */
  public static Result run(BenchTarget target, Workload workload, Settings settings, String label,
      Consumer<String> progress) throws InterruptedException {
    return new LoadRunner(target, workload, settings).run(label, progress);
  }

  private Result run(String label, Consumer<String> progressLines) throws InterruptedException {
    final boolean fill = workload.kind() == Workload.Kind.FILL;
    final long start = System.nanoTime();
    final long measureFrom = fill ? start : start + settings.warmup().toNanos();
    final long end = fill ? Long.MAX_VALUE : measureFrom + settings.duration().toNanos();
    final CountDownLatch done = new CountDownLatch(settings.inFlight());
    for (int i = 0; i < settings.inFlight(); i++) {
      final SplittableRandom random = new SplittableRandom(i * 7919L + start);
      final Thread t = new Thread(() -> {
        try {
          loop(random, measureFrom, end);
        } finally {
          done.countDown();
        }
      }, "bench-" + i);
      t.setDaemon(true);
      t.start();
    }
    long tick = start;
    boolean finished = false;
    while (!finished) {
      tick += 1_000_000_000L;
      finished = done.await(Math.max(0, tick - System.nanoTime()), TimeUnit.NANOSECONDS);
      progressLines.accept(progressLine(label, start, measureFrom, System.nanoTime()));
    }
    if (crashed != null) {
      throw new IllegalStateException("the load generator failed: " + crashed, crashed);
    }
    final long last = fill ? System.nanoTime() : end;
    final double seconds = (last - measureFrom) / 1e9;
    final Map<String, OpStats> ops = new LinkedHashMap<>();
    long total = 0;
    for (int op = 0; op < OPS.length; op++) {
      final Histogram h = measured[op].getIntervalHistogram();
      if (h.getTotalCount() > 0) {
        ops.put(OPS[op], OpStats.of(h, seconds));
        total += h.getTotalCount();
      }
    }
    final Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((kind, n) -> errorCounts.put(kind, n.sum()));
    return new Result(ops, total / seconds, errorCounts, seconds);
  }

  private void loop(SplittableRandom random, long measureFrom, long end) {
    try {
      while (true) {
        final long t0 = System.nanoTime();
        final int key;
        if (workload.kind() == Workload.Kind.FILL) {
          key = nextFillKey.getAndIncrement();
          if (key >= workload.keys()) {
            return;
          }
        } else {
          if (t0 >= end) {
            return;
          }
          key = random.nextInt(workload.keys());
        }
        final int op = workload.nextIsRead(random) ? 1 : 0;
        try {
          if (op == 1) {
            target.get(workload.key(key));
          } else {
            target.put(workload.key(key), value);
          }
        } catch (Exception e) {
          intervalErrors.increment();
          if (t0 >= measureFrom) {
            errors.computeIfAbsent(target.errorKind(e), k -> new LongAdder()).increment();
          }
          Thread.sleep(10); // a failing target must not turn the loop into a busy spin
          continue;
        }
        final long t1 = System.nanoTime();
        progress[op].recordValue(t1 - t0);
        if (t0 >= measureFrom && t1 <= end) {
          measured[op].recordValue(t1 - t0);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      crashed = e;
    }
  }

  private String progressLine(String label, long start, long measureFrom, long now) {
    final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%4ds] %-7s",
        Math.round((now - start) / 1e9), now < measureFrom ? "warmup" : label));
    for (int op = 0; op < OPS.length; op++) {
      final Histogram h = progress[op].getIntervalHistogram();
      if (h.getTotalCount() > 0) {
        line.append(String.format(Locale.ROOT, "  %s %7d/s p50 %6.2f ms p99 %7.2f ms", OPS[op], h.getTotalCount(),
            h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6));
      }
    }
    line.append("  errors ").append(intervalErrors.sumThenReset());
    return line.toString();
  }
}
