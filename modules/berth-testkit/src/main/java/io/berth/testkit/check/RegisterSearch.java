package io.berth.testkit.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The linearizability search for one register (one key), after Wing and Gong as improved by Lowe and used by
 * Porcupine.
 *
 * <p>The calls and returns of every operation are laid out in one list in time order (at equal times calls come
 * first, so operations that merely touch are concurrent). The search walks the list: at a call it tries to
 * linearize that operation now (its model step must be legal), removing its call and return from the list and
 * pushing it on a stack; at a return it has met an operation that had to take effect by then and did not, so it
 * backtracks, undoing the last linearization and trying the next candidate. Every (set of linearized
 * operations, register state) pair reached is remembered, and a pair seen before is never explored again: that
 * memo keeps a search over histories of hundreds of concurrent operations feasible.
 *
 * <p>An {@code info} operation returns "at infinity": it may take effect at any point after its invocation, or
 * (being linearized after everything else) never. Reads of unknown outcome have no effect and are dropped before
 * the search. The register starts absent; values are compared as canonical JSON.
 *
 * <p>Not thread-safe; one instance per key.
 */
final class RegisterSearch {
  /** The memo stops growing here and the verdict becomes unknown: a bound on memory, as the deadline is on time. */
  static final int MAX_MEMO = 1_500_000;
  private static final int ABSENT = 0;

  private final String key;
  private final List<Operation> ops;
  private final Map<String, Integer> values = new HashMap<>();
  private final int[] written;
  private final int[] expected;
  private final int[] observed;

  /** @param ops the key's operations (reads of unknown outcome already removed), ids 0..n-1 */
  RegisterSearch(String key, List<Operation> ops) {
    this.key = key;
    this.ops = ops;
    values.put("null", ABSENT);
    written = new int[ops.size()];
    expected = new int[ops.size()];
    observed = new int[ops.size()];
    for (Operation o : ops) {
      switch (o.f()) {
        case "write" -> written[o.id()] = intern(o.input());
        case "cas" -> {
          expected[o.id()] = intern(o.input().get(0));
          written[o.id()] = intern(o.input().get(1));
        }
        case "read" -> observed[o.id()] = intern(o.output());
        default -> throw new IllegalArgumentException("not a register operation: " + o.f());
      }
    }
  }

  private int intern(com.fasterxml.jackson.databind.JsonNode v) {
    return values.computeIfAbsent(Calls.canonical(v), s -> values.size());
  }

  /** The register's transition, or -1 when {@code op} cannot take effect in {@code state}. */
  private int step(Operation op, int state) {
    final int id = op.id();
    return switch (op.f()) {
      case "write" -> written[id];
      case "read" -> state == observed[id] ? state : -1;
      case "cas" -> state == expected[id] ? written[id] : (op.unknown() ? state : -1);
      default -> -1;
    };
  }

  /** One node of the doubly-linked call/return list. */
  private static final class Entry {
    final Operation op;
    final boolean call;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(Operation op, boolean call, long time) {
      this.op = op;
      this.call = call;
      this.time = time;
    }
  }

  private record Memo(BitSet linearized, int state) {}

  private record Frame(Entry call, int stateBefore) {}

  /**
   * Searches for a linearization.
   *
   * @param expired polled now and then; when it turns true the search stops with {@link Verdict#unknown}
   */
  KeyResult run(BooleanSupplier expired) {
    final Entry head = buildList();
    final BitSet linearized = new BitSet(ops.size());
    final Set<Memo> memo = new HashSet<>();
    final Deque<Frame> stack = new ArrayDeque<>();
    int state = ABSENT;
    int deepest = -1;
    Operation blocked = null;
    List<Operation> prefix = List.of();
    long steps = 0;
    Entry entry = head.next;
    while (head.next != null) {
      if ((++steps & 1023) == 0 && expired.getAsBoolean()) {
        return KeyResult.unknown(key, ops.size(), steps, "the time budget ran out");
      }
      if (entry.call) {
        final int next = step(entry.op, state);
        if (next >= 0) {
          linearized.set(entry.op.id());
          if (memo.add(new Memo((BitSet) linearized.clone(), next))) {
            if (memo.size() > MAX_MEMO) {
              return KeyResult.unknown(key, ops.size(), steps, "the search outgrew " + MAX_MEMO + " states");
            }
            stack.push(new Frame(entry, state));
            state = next;
            lift(entry);
            entry = head.next;
            continue;
          }
          linearized.clear(entry.op.id());
        }
        entry = entry.next;
        continue;
      }
      // A return: this operation had to take effect by now and none of the candidates let it.
      if (stack.size() > deepest) {
        deepest = stack.size();
        blocked = entry.op;
        final List<Operation> p = new ArrayList<>(stack.size());
        stack.descendingIterator().forEachRemaining(f -> p.add(f.call.op));
        prefix = p;
      }
      if (stack.isEmpty()) {
        return KeyResult.invalid(key, ops.size(), steps, blocked, prefix);
      }
      final Frame top = stack.pop();
      state = top.stateBefore;
      linearized.clear(top.call.op.id());
      unlift(top.call);
      entry = top.call.next;
    }
    return KeyResult.valid(key, ops.size(), steps);
  }

  private Entry buildList() {
    final List<Entry> entries = new ArrayList<>(ops.size() * 2);
    for (Operation o : ops) {
      final Entry call = new Entry(o, true, o.call());
      final Entry ret = new Entry(o, false, o.ret());
      call.match = ret;
      entries.add(call);
      entries.add(ret);
    }
    // Time order; at equal times calls before returns, so operations that only touch count as concurrent.
    entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> e.call ? 0 : 1));
    final Entry head = new Entry(null, false, Long.MIN_VALUE);
    Entry last = head;
    for (Entry e : entries) {
      last.next = e;
      e.prev = last;
      last = e;
    }
    return head;
  }

  /** Removes a call and its return from the list. */
  private static void lift(Entry call) {
    call.prev.next = call.next;
    if (call.next != null) {
      call.next.prev = call.prev;
    }
    final Entry ret = call.match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  /** Puts a lifted call and its return back where they were (the inverse of {@link #lift}). */
  private static void unlift(Entry call) {
    final Entry ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    call.prev.next = call;
    if (call.next != null) {
      call.next.prev = call;
    }
  }
}
