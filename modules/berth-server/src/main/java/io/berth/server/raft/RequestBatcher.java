package io.berth.server.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Group commit for requests to the Raft group: at most {@code maxInFlight} batches are outstanding; requests that
 * arrive while all of them are taken wait, and leave together as the next batch when one completes.
 *
 * <p>There is no timer and no added wait: a request that finds a free slot leaves at once, alone, so latency under
 * light load is that of a single request. Under load every Raft round trip carries many requests, which spreads
 * the fixed cost of a log entry (RPCs to the leader and the followers, the log write and its fsync, the commit
 * bookkeeping) over all of them. etcd batches proposals and ReadIndex requests the same way.
 *
 * <p>A batch holds at most {@code maxItems} requests and at most {@code maxBytes} (a single larger request leaves
 * alone). Requests leave in arrival order. When a batch fails, every request in it fails with the same error; for
 * writes that means "outcome unknown", exactly as for a request sent alone.
 *
 * <p>A batch that has not completed after {@code stallAfter} stops counting against the limit: it goes on (its
 * callers still get its real outcome) but the next batch leaves. Without that, a Raft request stuck in retries
 * (a leader change, a restarted peer) would hold its slot for the Raft client's whole retry budget and stop
 * every later request of this member behind it, where sent alone they would have gone through.
 *
 * <p>A completed batch is handled (its callers answered, the next batch sent) on the {@code completions} executor,
 * never on the thread that completed the sender's future. A sender may complete while holding a lock of its own:
 * Ratis' ordered client completes a reply inside its sliding window's lock, and its send takes that lock of the
 * client it goes to. Sending the next batch from there took one embedded client's lock while holding another's,
 * and two replies completing at once on two clients deadlocked: every write of that member stopped for good.
 *
 * @param <T> a request
 * @param <R> its answer
 */
final class RequestBatcher<T, R> {

  /** Sends one batch; the answers must come back in the order of the requests, one per request. */
  @FunctionalInterface
  interface Sender<T, R> {
    CompletableFuture<List<R>> send(List<T> batch);
  }

  private record Waiting<T, R>(T request, CompletableFuture<R> answer) {}

  private final Sender<T, R> sender;
  private final ToLongFunction<T> size;
  private final int maxInFlight;
  private final int maxItems;
  private final long maxBytes;
  private final ArrayDeque<Waiting<T, R>> queue = new ArrayDeque<>();
  private final Duration stallAfter;
  private final Executor completions;
  private int inFlight;
  private final LongAdder batchesSent = new LongAdder();
  private final LongAdder requestsSent = new LongAdder();
  private final LongAdder batchesStalled = new LongAdder();

  /** One daemon thread for every batcher's stall timers; a timer only moves a batch off the limit. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private static ScheduledThreadPoolExecutor timer() {
    final ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      final Thread thread = new Thread(r, "berth-batch-timer");
      thread.setDaemon(true);
      return thread;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /**
   * @param completions runs the handling of each completed batch; must not run it on the calling thread when the
   *                    sender completes its futures under a lock that its send needs (see above)
   */
  RequestBatcher(Sender<T, R> sender, ToLongFunction<T> size, int maxInFlight, int maxItems, long maxBytes,
      Duration stallAfter, Executor completions) {
    if (maxInFlight < 1 || maxItems < 1 || maxBytes < 1 || stallAfter.isNegative() || stallAfter.isZero()) {
      throw new IllegalArgumentException("batch limits must be positive: in flight " + maxInFlight + ", items "
          + maxItems + ", bytes " + maxBytes + ", stall after " + stallAfter);
    }
    this.stallAfter = stallAfter;
    this.completions = Objects.requireNonNull(completions, "completions");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.size = Objects.requireNonNull(size, "size");
    this.maxInFlight = maxInFlight;
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** Queues {@code request}; the answer completes when its batch does. */
  CompletableFuture<R> submit(T request) {
    final Waiting<T, R> w = new Waiting<>(Objects.requireNonNull(request, "request"), new CompletableFuture<>());
    final List<Waiting<T, R>> batch;
    synchronized (this) {
      queue.add(w);
      batch = takeBatchIfSlotFree();
    }
    if (batch != null) {
      send(batch);
    }
    return w.answer();
  }

  /** Requests waiting for a free slot (for metrics and tests). */
  synchronized int waiting() {
    return queue.size();
  }

  /** Batches sent so far (a lone request counts as a batch of one). */
  long batchesSent() {
    return batchesSent.sum();
  }

  /** Requests sent so far, in all batches. */
  long requestsSent() {
    return requestsSent.sum();
  }

  /** Batches that stopped counting against the limit because they took longer than {@code stallAfter}. */
  long batchesStalled() {
    return batchesStalled.sum();
  }

  /** Takes the next batch off the queue and a slot for it, or returns null if none is free or nothing waits. */
  private List<Waiting<T, R>> takeBatchIfSlotFree() {
    if (inFlight >= maxInFlight || queue.isEmpty()) {
      return null;
    }
    final List<Waiting<T, R>> batch = new ArrayList<>(Math.min(queue.size(), maxItems));
    long bytes = 0;
    while (!queue.isEmpty() && batch.size() < maxItems) {
      final long next = size.applyAsLong(queue.peek().request());
      if (!batch.isEmpty() && bytes + next > maxBytes) {
        break;
      }
      bytes += next;
      batch.add(queue.poll());
    }
    inFlight++;
    return batch;
  }

  private void send(List<Waiting<T, R>> batch) {
    batchesSent.increment();
    requestsSent.add(batch.size());
    final AtomicBoolean holdsSlot = new AtomicBoolean(true);
    CompletableFuture<List<R>> sent;
    try {
      sent = sender.send(batch.stream().map(Waiting::request).toList());
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    if (sent.isDone()) {
      // Finished on the executor, so a burst of sends that fail at once cannot recurse through send().
      sent.whenCompleteAsync((answers, error) -> finish(batch, holdsSlot, answers, error), completions);
      return;
    }
    final ScheduledFuture<?> stall = TIMER.schedule(() -> {
      if (releaseSlot(holdsSlot)) {
        batchesStalled.increment();
      }
    }, stallAfter.toNanos(), TimeUnit.NANOSECONDS);
    sent.whenCompleteAsync((answers, error) -> {
      stall.cancel(false);
      finish(batch, holdsSlot, answers, error);
    }, completions);
  }

  /** Gives the batch's slot back (once) and sends the next batch if requests wait; true if it held the slot. */
  private boolean releaseSlot(AtomicBoolean holdsSlot) {
    if (!holdsSlot.compareAndSet(true, false)) {
      return false;
    }
    final List<Waiting<T, R>> next;
    synchronized (this) {
      inFlight--;
      next = takeBatchIfSlotFree();
    }
    if (next != null) {
      send(next);
    }
    return true;
  }

  private void finish(List<Waiting<T, R>> batch, AtomicBoolean holdsSlot, List<R> answers, Throwable error) {
    // The next batch leaves before this one's callers are answered, so the pipeline never runs dry.
    releaseSlot(holdsSlot);
    if (error == null && (answers == null || answers.size() != batch.size())) {
      error = new IllegalStateException("a batch of " + batch.size() + " requests got "
          + (answers == null ? "no" : answers.size()) + " answers");
    }
    for (int i = 0; i < batch.size(); i++) {
      if (error != null) {
        batch.get(i).answer().completeExceptionally(error);
      } else {
        batch.get(i).answer().complete(answers.get(i));
      }
    }
  }
}
