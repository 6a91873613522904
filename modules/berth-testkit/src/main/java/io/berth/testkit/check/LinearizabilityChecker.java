package io.berth.testkit.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Checks that the {@code read}/{@code write}/{@code cas} operations of a history are linearizable, treating each
 * key as an independent register (linearizability is compositional, so the history is linearizable exactly when
 * every key's sub-history is). Keys are searched in parallel under one time budget; see {@link RegisterSearch}
 * for the search itself.
 *
 * <p>The verdict is invalid when any key is, else unknown when any key's search ran out of time or memory, else
 * valid. Thread-safe (stateless).
 */
public final class LinearizabilityChecker {
  private final Duration budget;
  private final int threads;

  /**
   * @param budget  how long the whole check may take before the unfinished keys are reported unknown
   * @param threads how many keys to search at once
   */
  public LinearizabilityChecker(Duration budget, int threads) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the check's time budget must be positive: " + budget);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.budget = budget;
    this.threads = threads;
  }

  /** A checker with {@code budget} and one thread per available processor. */
  public static LinearizabilityChecker withBudget(Duration budget) {
    return new LinearizabilityChecker(budget, Runtime.getRuntime().availableProcessors());
  }

  /** The verdict over every key of {@code calls}. */
  public LinearizabilityResult check(Calls calls) {
    final Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation o : calls.operations()) {
      final boolean register = o.f().equals("read") || o.f().equals("write") || o.f().equals("cas");
      // A read of unknown outcome constrains nothing and changes nothing.
      if (register && !(o.f().equals("read") && o.unknown())) {
        final List<Operation> ops = byKey.computeIfAbsent(o.key(), k -> new ArrayList<>());
        ops.add(o.withId(ops.size()));
      }
    }
    final long deadline = System.nanoTime() + budget.toNanos();
    final BooleanSupplier expired = () -> System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted();
    final List<KeyResult> results = new ArrayList<>();
    if (!byKey.isEmpty()) {
      final ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, byKey.size()), r -> {
        final Thread t = new Thread(r, "berth-linearizability");
        t.setDaemon(true);
        return t;
      });
      try {
        final List<Future<KeyResult>> futures = new ArrayList<>();
        byKey.forEach((key, ops) -> futures.add(pool.submit(() -> new RegisterSearch(key, ops).run(expired))));
        for (Future<KeyResult> f : futures) {
          results.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while checking linearizability", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the linearizability search failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
    return new LinearizabilityResult(results);
  }

  /**
   * Every key's result and the overall verdict.
   *
   * @param keys per-key results, by key
   */
  public record LinearizabilityResult(List<KeyResult> keys) {
    public LinearizabilityResult {
      keys = List.copyOf(keys);
    }

    /** Invalid if any key is, else unknown if any key is, else valid (also for a history with no register ops). */
    public Verdict verdict() {
      return keys.stream().map(KeyResult::verdict).reduce(Verdict.valid, Verdict::and);
    }

    /** The invalid key whose blocked operation was invoked first: what to show a person. */
    public Optional<KeyResult> firstViolation() {
      return keys.stream().filter(k -> k.verdict() == Verdict.invalid)
          .min(Comparator.comparingInt(k -> k.blocked().orElseThrow().event()));
    }

    /** Operations searched, over all keys. */
    public int operations() {
      return keys.stream().mapToInt(KeyResult::operations).sum();
    }
  }
}
