package io.berth.testkit.chaos;

import java.util.Map;

/**
 * One fault family: {@link #start} injects it, {@link #heal} undoes it. Both return evidence that it really
 * happened (PIDs, IPs, roles, process states) and the key {@code "effective"} ({@code true} when the evidence
 * shows the fault took effect); the run records both and fails a fault that had no effect. One instance serves
 * one run and is used by one thread; start and heal alternate.
 *
 * <p>Families: process faults ({@link ProcessFaults}), StatefulSet faults ({@link StatefulSetFaults}); a network
 * family (partitions inside per-pod network namespaces) is one more implementation of this interface.
 */
public interface Fault {
  /** The family's name as {@code --nemesis} takes it. */
  String name();

  /** Injects the fault. */
  Map<String, Object> start(FaultContext ctx);

  /** Heals it: afterwards the cluster is back to full strength (see {@link FaultContext#lost} for the exception). */
  Map<String, Object> heal(FaultContext ctx);
}
