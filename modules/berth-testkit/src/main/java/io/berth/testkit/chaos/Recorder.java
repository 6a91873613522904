package io.berth.testkit.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.testkit.history.HistoryFile;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Records every call as an invocation and a completion, with monotonic timestamps ({@link System#nanoTime} by
 * default), to a history file as they happen and in memory for the checkers. Thread-safe; the timestamp is taken
 * inside the lock, so file order is time order.
 */
public final class Recorder {
  private final HistoryFile file;
  private final LongSupplier clock;
  private final List<Op> events = new ArrayList<>();
  private final AtomicInteger processes = new AtomicInteger();

  public Recorder(HistoryFile file, LongSupplier clock) {
    this.file = file;
    this.clock = clock;
  }

  /** A fresh process id: one per client thread (and per final read), never reused. */
  public int newProcess() {
    return processes.getAndIncrement();
  }

  /** Records an invocation; pass the result to {@link #complete}. */
  public synchronized Op invoke(int process, String f, String key, JsonNode value) {
    return append(new Op(process, Op.Type.invoke, f, key, value, clock.getAsLong()));
  }

  /** Records the completion of {@code invocation}. */
  public synchronized Op complete(Op invocation, Op.Type type, JsonNode value) {
    return append(invocation.complete(type, value, clock.getAsLong()));
  }

  private Op append(Op op) {
    file.append(op);
    events.add(op);
    return op;
  }

  /** Every event so far, in order. */
  public synchronized List<Op> events() {
    return List.copyOf(events);
  }

  /** The recorder's clock now. */
  public long now() {
    return clock.getAsLong();
  }
}
