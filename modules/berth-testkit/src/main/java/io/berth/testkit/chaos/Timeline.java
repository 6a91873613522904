package io.berth.testkit.chaos;

import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The completed calls of a history as intervals, for figures: throughput, latency, gaps without a successful
 * call. Calls never completed are left out. Immutable.
 */
final class Timeline {
  /** One completed call: nanosecond times, type, operation. */
  record Call(long start, long end, Op.Type type, String f) {
    boolean write() {
      return !f.equals("read") && !f.equals("read-all");
    }
  }

  private final List<Call> calls;

  private Timeline(List<Call> calls) {
    this.calls = calls;
  }

  static Timeline of(List<Op> events) {
    final Map<Integer, Op> open = new HashMap<>();
    final List<Call> calls = new ArrayList<>();
    for (Op op : events) {
      if (op.type() == Op.Type.invoke) {
        open.put(op.process(), op);
      } else {
        final Op inv = open.remove(op.process());
        if (inv != null) {
          calls.add(new Call(inv.time(), op.time(), op.type(), op.f()));
        }
      }
    }
    calls.sort((a, b) -> Long.compare(a.end, b.end));
    return new Timeline(List.copyOf(calls));
  }

  List<Call> calls() {
    return calls;
  }

  /** Successful calls completed per second in {@code [from, to)}. */
  double okPerSecond(long from, long to) {
    if (to <= from) {
      return 0;
    }
    final long n = calls.stream().filter(c -> c.type == Op.Type.ok && c.end >= from && c.end < to).count();
    return n / ((to - from) / 1e9);
  }

  /** Milliseconds from {@code at} to the completion of the first acknowledged write invoked at or after it; -1 if none. */
  long firstOkWriteAfter(long at) {
    return calls.stream().filter(c -> c.type == Op.Type.ok && c.write() && c.start >= at)
        .mapToLong(c -> c.end).min().stream().map(end -> (end - at) / 1_000_000).findFirst().orElse(-1);
  }

  /** The longest window in {@code [from, to]} in which no call succeeded: {@code [start, end]} nanoseconds. */
  long[] longestGap(long from, long to) {
    long last = from;
    long[] best = {from, from};
    for (Call c : calls) {
      if (c.type != Op.Type.ok || c.end < from || c.end > to) {
        continue;
      }
      if (c.end - last > best[1] - best[0]) {
        best = new long[] {last, c.end};
      }
      last = c.end;
    }
    if (to - last > best[1] - best[0]) {
      best = new long[] {last, to};
    }
    return best;
  }
}
