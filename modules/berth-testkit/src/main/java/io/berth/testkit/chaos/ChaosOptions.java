package io.berth.testkit.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a chaos run does.
 *
 * @param faults      the fault families, injected one after another in a seeded order
 * @param duration    how long the workloads run under faults, at least (each family runs once even if that takes
 *                    longer; setup and checking come on top)
 * @param seed        seeds every random choice: victims, fault order, operations
 * @param register    run the per-key register workload
 * @param set         run the unique-add set workload
 * @param faultLength how long each fault is held before it is healed
 * @param quiet       how long the cluster runs without a fault between faults (and before the first)
 * @param timeout     how long a pod may take to come back, a leader to be elected, a check to finish
 * @param log         receives one line per step
 */
public record ChaosOptions(List<Fault> faults, Duration duration, long seed, boolean register, boolean set,
    Duration faultLength, Duration quiet, Duration timeout, Consumer<String> log) {
  public ChaosOptions {
    faults = List.copyOf(faults);
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(log, "log");
    if (!register && !set) {
      throw new IllegalArgumentException("choose at least one workload (register, set or both)");
    }
    if (faults.isEmpty()) {
      throw new IllegalArgumentException("choose at least one fault family (--nemesis); known: "
          + String.join(", ", Nemesis.known()));
    }
  }
}
