package io.berth.testkit.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.testkit.check.LinearizabilityChecker.LinearizabilityResult;
import io.berth.testkit.check.SetChecker.SetResult;
import io.berth.testkit.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs every checker that applies to a history: linearizability over its register operations and the set
 * checker over its adds and reads of everything. Stateless.
 */
public final class HistoryChecker {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How many operations of the longest linearizable prefix a report shows (the last ones). */
  static final int PREFIX_SHOWN = 12;

  private final LinearizabilityChecker linearizability;

  public HistoryChecker(Duration budget) {
    this.linearizability = LinearizabilityChecker.withBudget(budget);
  }

  /**
   * Checks {@code history}.
   *
   * @throws MalformedHistoryException when the history breaks its own rules
   */
  public Report check(List<Op> history) {
    final long start = System.nanoTime();
    final Calls calls = Calls.of(history);
    final LinearizabilityResult registers = linearizability.check(calls);
    final SetResult set = new SetChecker().check(calls);
    final long origin = history.stream().mapToLong(Op::time).min().orElse(0);
    final Map<String, Map<String, Integer>> counts = new TreeMap<>();
    calls.counts().forEach((type, byF) -> counts.put(type.name(), new TreeMap<>(byF)));
    return new Report(registers.verdict().and(set.verdict()), counts, registers, set, origin,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * What the checkers found.
   *
   * @param verdict       the overall verdict: invalid if any checker says so, else unknown if any could not finish
   * @param counts        completed calls by type ({@code ok}, {@code fail}, {@code info}) and operation
   * @param registers     the linearizability result per key
   * @param set           the set checker's result
   * @param origin        the earliest time in the history (reports show times relative to it)
   * @param elapsedMillis how long the check took
   */
  public record Report(Verdict verdict, Map<String, Map<String, Integer>> counts, LinearizabilityResult registers,
      SetResult set, long origin, long elapsedMillis) {

    /** A few lines for people: the verdict and, when invalid, what broke. */
    public List<String> describe() {
      final List<String> lines = new ArrayList<>();
      lines.add("linearizability: " + registers.verdict() + " (" + registers.keys().size() + " keys, "
          + registers.operations() + " operations)");
      registers.firstViolation().ifPresent(k -> {
        lines.add("  key " + k.key() + ": cannot linearize " + k.blocked().orElseThrow().describe(origin));
        final List<Operation> p = k.prefix();
        lines.add("  longest linearizable prefix (" + p.size() + " operations" + (p.size() > PREFIX_SHOWN
            ? ", last " + PREFIX_SHOWN + " shown" : "") + "):");
        p.subList(Math.max(0, p.size() - PREFIX_SHOWN), p.size()).forEach(o -> lines.add("    " + o.describe(origin)));
      });
      registers.keys().stream().filter(k -> k.verdict() == Verdict.unknown).findFirst().ifPresent(k ->
          lines.add("  key " + k.key() + " (and " + (registers.keys().stream()
              .filter(x -> x.verdict() == Verdict.unknown).count() - 1) + " more) unknown: " + k.reason()));
      lines.add("set: " + set.verdict() + " (" + set.acknowledged() + " acknowledged adds, " + set.unknownAdds()
          + " of unknown outcome of which " + set.infoPresent() + " present, " + set.read() + " elements read)"
          + (set.reason().isEmpty() ? "" : ": " + set.reason()));
      if (!set.lost().isEmpty()) {
        lines.add("  lost acknowledged elements: " + head(set.lost()));
      }
      if (!set.unexpected().isEmpty()) {
        lines.add("  unexpected elements: " + head(set.unexpected()));
      }
      if (!set.duplicates().isEmpty()) {
        lines.add("  duplicated elements: " + head(set.duplicates()));
      }
      return lines;
    }

    private static String head(List<String> items) {
      return items.size() <= 10 ? items.toString()
          : items.subList(0, 10) + " and " + (items.size() - 10) + " more";
    }

    /** The report as JSON: {@code {"valid","verdict","counts","linearizability":{...},"set":{...},"elapsedMillis"}}. */
    public ObjectNode toJson() {
      final ObjectNode n = JSON.createObjectNode();
      n.put("valid", verdict == Verdict.valid);
      n.put("verdict", verdict.name());
      n.set("counts", JSON.valueToTree(counts));
      final ObjectNode lin = n.putObject("linearizability");
      lin.put("verdict", registers.verdict().name());
      lin.put("keys", registers.keys().size());
      lin.put("operations", registers.operations());
      final ArrayNode unknown = lin.putArray("unknownKeys");
      registers.keys().stream().filter(k -> k.verdict() == Verdict.unknown).forEach(k -> unknown.add(k.key()));
      registers.firstViolation().ifPresent(k -> {
        final ObjectNode v = lin.putObject("violation");
        v.put("key", k.key());
        v.set("operation", json(k.blocked().orElseThrow()));
        final ArrayNode prefix = v.putArray("prefix");
        k.prefix().forEach(o -> prefix.add(json(o)));
      });
      final ObjectNode s = n.putObject("set");
      s.put("verdict", set.verdict().name());
      s.put("acknowledged", set.acknowledged());
      s.put("unknownAdds", set.unknownAdds());
      s.put("unknownAddsPresent", set.infoPresent());
      s.put("read", set.read());
      s.set("lost", JSON.valueToTree(set.lost()));
      s.set("unexpected", JSON.valueToTree(set.unexpected()));
      s.set("duplicates", JSON.valueToTree(set.duplicates()));
      if (!set.reason().isEmpty()) {
        s.put("reason", set.reason());
      }
      n.put("elapsedMillis", elapsedMillis);
      return n;
    }

    private static ObjectNode json(Operation o) {
      final ObjectNode n = JSON.createObjectNode();
      n.put("process", o.process());
      n.put("f", o.f());
      n.put("key", o.key());
      n.set("value", o.input());
      n.set("result", o.output());
      n.put("type", o.type().name());
      n.put("invoke", o.call());
      if (o.ret() != Long.MAX_VALUE) {
        n.put("complete", o.ret());
      }
      n.put("event", o.event() + 1);
      return n;
    }
  }
}
