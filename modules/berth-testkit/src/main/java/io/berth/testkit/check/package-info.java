/**
 * Checkers for recorded histories ({@link io.berth.testkit.history.Op}): linearizability of per-key registers
 * ({@link io.berth.testkit.check.LinearizabilityChecker}) and the unique-add set
 * ({@link io.berth.testkit.check.SetChecker}). Both answer valid, invalid or unknown; unknown never passes.
 */
package io.berth.testkit.check;
