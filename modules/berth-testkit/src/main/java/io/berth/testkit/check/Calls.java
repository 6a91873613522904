package io.berth.testkit.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs each invocation with its completion and checks the history's own rules: each process has at most one
 * call outstanding, a completion matches its invocation, every {@code f} is known, {@code cas} values are
 * {@code [expected, new]}. An invocation never completed counts as {@code info}; {@code fail} calls are dropped
 * (they did not happen).
 */
public final class Calls {
  /** Every operation a history may hold. */
  public static final Set<String> FUNCTIONS = Set.of("read", "write", "cas", "add", "read-all");

  private final List<Operation> operations;
  private final List<Operation> failed;
  private final Map<Op.Type, Map<String, Integer>> counts;

  private Calls(List<Operation> operations, List<Operation> failed, Map<Op.Type, Map<String, Integer>> counts) {
    this.operations = operations;
    this.failed = failed;
    this.counts = counts;
  }

  /** The calls of {@code history}, in invocation order. */
  public static Calls of(List<Op> history) {
    final Map<Integer, Integer> outstanding = new HashMap<>();
    final Operation[] byEvent = new Operation[history.size()];
    final Map<Op.Type, Map<String, Integer>> counts = new HashMap<>();
    final List<Operation> failed = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      final Op op = history.get(i);
      if (!FUNCTIONS.contains(op.f())) {
        throw new MalformedHistoryException(i, "unknown operation \"" + op.f() + "\" (known: read, write, cas, "
            + "add, read-all)");
      }
      if (op.type() == Op.Type.invoke) {
        if (outstanding.containsKey(op.process())) {
          throw new MalformedHistoryException(i, "process " + op.process() + " invokes " + op.f()
              + " while its call at event " + (outstanding.get(op.process()) + 1) + " is still outstanding");
        }
        if (op.f().equals("cas") && !(op.value().isArray() && op.value().size() == 2)) {
          throw new MalformedHistoryException(i, "a cas value must be [expected, new], not " + op.value());
        }
        outstanding.put(op.process(), i);
        continue;
      }
      final Integer start = outstanding.remove(op.process());
      if (start == null) {
        throw new MalformedHistoryException(i, "process " + op.process() + " completes " + op.f()
            + " (" + op.type() + ") without an invocation");
      }
      final Op inv = history.get(start);
      if (!inv.f().equals(op.f()) || !inv.key().equals(op.key())) {
        throw new MalformedHistoryException(i, "process " + op.process() + " completes " + op.f() + " " + op.key()
            + " but invoked " + inv.f() + " " + inv.key());
      }
      if (op.time() < inv.time()) {
        throw new MalformedHistoryException(i, "process " + op.process() + " completes before it invoked (time "
            + op.time() + " < " + inv.time() + ")");
      }
      counts.computeIfAbsent(op.type(), t -> new HashMap<>()).merge(op.f(), 1, Integer::sum);
      if (op.type() == Op.Type.fail) {
        failed.add(new Operation(0, op.process(), op.f(), op.key(), inv.value(), op.value(), inv.time(), op.time(),
            op.type(), start));
        continue;
      }
      final boolean ok = op.type() == Op.Type.ok;
      byEvent[start] = new Operation(0, op.process(), op.f(), op.key(), inv.value(),
          ok ? op.value() : NullNode.getInstance(), inv.time(), ok ? op.time() : Long.MAX_VALUE, op.type(), start);
    }
    for (int start : outstanding.values()) {
      final Op inv = history.get(start);
      counts.computeIfAbsent(Op.Type.info, t -> new HashMap<>()).merge(inv.f(), 1, Integer::sum);
      byEvent[start] = new Operation(0, inv.process(), inv.f(), inv.key(), inv.value(), NullNode.getInstance(),
          inv.time(), Long.MAX_VALUE, Op.Type.info, start);
    }
    final List<Operation> ops = new ArrayList<>();
    for (Operation o : byEvent) {
      if (o != null) {
        ops.add(o);
      }
    }
    return new Calls(List.copyOf(ops), List.copyOf(failed), counts);
  }

  /** The operations that happened or may have happened, in invocation order. */
  public List<Operation> operations() {
    return operations;
  }

  /** The calls that definitely did not happen ({@code fail}), in completion order. */
  public List<Operation> failed() {
    return failed;
  }

  /** Completed calls by type ({@code ok}, {@code fail}, {@code info}; never-completed calls count as info), then f. */
  public Map<Op.Type, Map<String, Integer>> counts() {
    return counts;
  }

  /** The value as a canonical text: equal JSON values give equal texts ({@code null} for none). */
  static String canonical(JsonNode v) {
    return v == null || v.isMissingNode() ? "null" : v.toString();
  }
}
