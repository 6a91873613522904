package io.berth.testkit.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The fault families {@code --nemesis} knows, by name. */
public final class Nemesis {
  private static final Map<String, Supplier<Fault>> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("kill-leader", () -> ProcessFaults.kill("kill-leader", ProcessFaults.leader(), false));
    FAMILIES.put("kill-random", () -> ProcessFaults.kill("kill-random", ProcessFaults.random(), false));
    FAMILIES.put("kill-minority", () -> ProcessFaults.kill("kill-minority", ProcessFaults.minority(), false));
    FAMILIES.put("restart", () -> ProcessFaults.kill("restart", ProcessFaults.random(), true));
    FAMILIES.put("pause-leader", () -> ProcessFaults.pause("pause-leader", ProcessFaults.leader()));
    FAMILIES.put("pause-followers", () -> ProcessFaults.pause("pause-followers", ProcessFaults.followers()));
    FAMILIES.put("reschedule", StatefulSetFaults::reschedule);
    FAMILIES.put("rolling-restart", StatefulSetFaults::rollingRestart);
    FAMILIES.put("lose-volume", StatefulSetFaults::loseVolume);
    FAMILIES.put("partition-leader", NetworkFaults::isolateLeader);
    FAMILIES.put("partition-halves", NetworkFaults::majorityMinority);
    FAMILIES.put("partition-bridge", NetworkFaults::bridge);
  }

  /** Whether {@code fault} cuts the network, so the pods must sit in their own network namespaces. */
  public static boolean needsNetworkNamespaces(Fault fault) {
    return fault.name().startsWith("partition-");
  }

  private Nemesis() {}

  /** Every family's name, in a stable order. */
  public static List<String> known() {
    return List.copyOf(FAMILIES.keySet());
  }

  /**
   * The faults named in {@code list} (comma-separated; {@code all} for every family).
   *
   * @throws IllegalArgumentException for an unknown or empty name, listing the known ones
   */
  public static List<Fault> parse(String list) {
    final List<Fault> faults = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      final String name = raw.strip();
      if (name.equals("all")) {
        FAMILIES.values().forEach(f -> faults.add(f.get()));
        continue;
      }
      final Supplier<Fault> f = FAMILIES.get(name);
      if (f == null) {
        throw new IllegalArgumentException("unknown nemesis '" + name + "'; known: " + String.join(", ", known())
            + " (or all)");
      }
      faults.add(f.get());
    }
    return faults;
  }
}
