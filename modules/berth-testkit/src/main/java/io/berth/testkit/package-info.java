/**
 * Test and demo tooling that runs against real Berth members: the local StatefulSet emulator
 * (package {@code io.berth.testkit.local}), and later faults, workloads, history and checkers.
 */
package io.berth.testkit;
