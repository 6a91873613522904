/**
 * The chaos harness: workloads whose every call is recorded ({@link io.berth.testkit.chaos.Recorder}), faults
 * injected into a local StatefulSet ({@link io.berth.testkit.chaos.Fault}), the run that ties them together and
 * checks the history ({@link io.berth.testkit.chaos.ChaosRun}), and its report.
 */
package io.berth.testkit.chaos;
