package io.berth.testkit.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks the unique-add set workload: each {@code add} puts one element no other add uses, and a final
 * {@code read-all} (taken after every fault is healed) returns every element present. Against the last
 * successful read-all:
 * <ul>
 *   <li>lost: an add acknowledged ({@code ok}) before the read began but missing from it;</li>
 *   <li>unexpected: an element read that no add attempted, or whose add definitely failed ({@code fail});</li>
 *   <li>duplicates: an element read more than once (an add applied twice).</li>
 * </ul>
 * Adds of unknown outcome ({@code info}) may be present or absent. Without a successful read-all the verdict is
 * unknown. Stateless.
 */
public final class SetChecker {

  /**
   * The outcome.
   *
   * @param verdict      valid, invalid, or unknown (no history of adds, or no successful final read)
   * @param acknowledged adds acknowledged before the final read
   * @param unknownAdds  adds of unknown outcome
   * @param infoPresent  of those, how many the final read found
   * @param read         elements in the final read
   * @param lost         acknowledged elements missing from the final read
   * @param unexpected   elements read that were never added or whose add failed
   * @param duplicates   elements read more than once
   * @param reason       on unknown, why
   */
  public record SetResult(Verdict verdict, int acknowledged, int unknownAdds, int infoPresent, int read,
      List<String> lost, List<String> unexpected, List<String> duplicates, String reason) {}

  /** Checks the {@code add}/{@code read-all} operations of {@code calls}. */
  public SetResult check(Calls calls) {
    final Map<String, Op.Type> adds = new HashMap<>();
    for (Operation o : calls.failed()) {
      if (o.f().equals("add")) {
        adds.put(Calls.canonical(o.input()), Op.Type.fail);
      }
    }
    Optional<Operation> finalRead = Optional.empty();
    for (Operation o : calls.operations()) {
      if (o.f().equals("add")) {
        adds.merge(Calls.canonical(o.input()), o.type(), (a, b) -> a == Op.Type.ok || b == Op.Type.ok ? Op.Type.ok
            : Op.Type.info);
      } else if (o.f().equals("read-all") && !o.unknown()
          && (finalRead.isEmpty() || o.ret() >= finalRead.get().ret())) {
        finalRead = Optional.of(o);
      }
    }
    if (adds.isEmpty() && finalRead.isEmpty()) {
      return new SetResult(Verdict.valid, 0, 0, 0, 0, List.of(), List.of(), List.of(), "");
    }
    if (finalRead.isEmpty()) {
      return new SetResult(Verdict.unknown, 0, 0, 0, 0, List.of(), List.of(), List.of(),
          "no read-all succeeded, so nothing can be said about the adds");
    }
    final Operation read = finalRead.get();
    final Map<String, Integer> seen = new HashMap<>();
    final JsonNode elements = read.output();
    if (elements.isArray()) {
      elements.forEach(e -> seen.merge(Calls.canonical(e), 1, Integer::sum));
    }
    final TreeSet<String> lost = new TreeSet<>();
    int acknowledged = 0;
    int unknown = 0;
    int infoPresent = 0;
    for (Operation o : calls.operations()) {
      if (!o.f().equals("add")) {
        continue;
      }
      final String element = Calls.canonical(o.input());
      if (o.type() == Op.Type.ok && o.ret() <= read.call()) {
        acknowledged++;
        if (!seen.containsKey(element)) {
          lost.add(element);
        }
      } else if (o.unknown()) {
        unknown++;
        if (seen.containsKey(element)) {
          infoPresent++;
        }
      }
    }
    final TreeSet<String> unexpected = new TreeSet<>();
    final TreeSet<String> duplicates = new TreeSet<>();
    seen.forEach((element, n) -> {
      final Op.Type add = adds.get(element);
      if (add == null || add == Op.Type.fail) {
        unexpected.add(element);
      }
      if (n > 1) {
        duplicates.add(element);
      }
    });
    final boolean ok = lost.isEmpty() && unexpected.isEmpty() && duplicates.isEmpty();
    return new SetResult(ok ? Verdict.valid : Verdict.invalid, acknowledged, unknown, infoPresent,
        elements.size(), new ArrayList<>(lost), new ArrayList<>(unexpected), new ArrayList<>(duplicates), "");
  }
}
