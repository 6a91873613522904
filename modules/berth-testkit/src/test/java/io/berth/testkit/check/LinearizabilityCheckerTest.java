package io.berth.testkit.check;

import static io.berth.testkit.history.Op.Type.fail;
import static io.berth.testkit.history.Op.Type.info;
import static io.berth.testkit.history.Op.Type.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.testkit.check.LinearizabilityChecker.LinearizabilityResult;
import io.berth.testkit.history.Op;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker(Duration.ofSeconds(30), 2);

  private static LinearizabilityResult check(H h) {
    return CHECKER.check(Calls.of(h.sorted()));
  }

  private static KeyResult invalid(H h) {
    final LinearizabilityResult r = check(h);
    assertEquals(Verdict.invalid, r.verdict(), r.toString());
    return r.firstViolation().orElseThrow();
  }

  private static void valid(H h) {
    final LinearizabilityResult r = check(h);
    assertEquals(Verdict.valid, r.verdict(), r.toString());
  }

  // ------------------------------------------------------------------------------------------ must fail

  @Test
  void staleReadIsCaughtAndTheReadIsBlamed() {
    final KeyResult k = invalid(new H().write(1, 1, ok, 0, 10).write(1, 2, ok, 20, 30).read(2, 1, 40, 50));
    assertEquals("read", k.blocked().orElseThrow().f());
    assertEquals("1", k.blocked().orElseThrow().output().toString());
    // The longest linearizable prefix: both writes.
    assertEquals(List.of("write", "write"), k.prefix().stream().map(Operation::f).toList());
  }

  @Test
  void lostAcknowledgedWriteIsCaught() {
    invalid(new H().write(1, 1, ok, 0, 10).read(2, null, 20, 30));
  }

  @Test
  void writeAppliedTwiceIsCaught() {
    // 1 then 2 were acknowledged in order; 2 was read; then 1 shows up again: the first write applied twice.
    invalid(new H().write(1, 1, ok, 0, 10).write(1, 2, ok, 20, 30).read(2, 2, 40, 50).read(2, 1, 60, 70));
  }

  @Test
  void failedWriteReadLaterIsCaught() {
    invalid(new H().write(1, 1, fail, 0, 10).read(2, 1, 20, 30));
  }

  @Test
  void readOfANeverWrittenValueIsCaught() {
    invalid(new H().write(1, 1, ok, 0, 10).read(2, 7, 20, 30));
  }

  @Test
  void twoCasesFromTheSameOldValueCannotBothSucceed() {
    invalid(new H().write(1, 1, ok, 0, 10).cas(2, 1, 2, ok, 20, 40).cas(3, 1, 3, ok, 20, 40));
  }

  @Test
  void readingAValueBeforeItsWriteWasInvokedIsARealTimeViolation() {
    // Concurrent, this would be fine; here the read returned before the write began.
    invalid(new H().read(2, 5, 0, 10).write(1, 5, ok, 20, 30));
  }

  @Test
  void realTimeOrderOfTwoReadsIsEnforced() {
    // A write concurrent with two reads: once one read saw the new value, a later read may not see the old one.
    invalid(new H().write(1, 1, ok, 0, 10).write(1, 2, ok, 20, 100).read(2, 2, 30, 40).read(3, 1, 50, 60));
  }

  // ------------------------------------------------------------------------------------------ must pass

  @Test
  void writeOfUnknownOutcomeMayBeReadLater() {
    valid(new H().write(1, 1, info, 0, 10).read(2, 1, 50, 60));
  }

  @Test
  void writeOfUnknownOutcomeMayNeverBeRead() {
    valid(new H().write(1, 1, info, 0, 10).read(2, null, 50, 60).read(2, null, 70, 80));
  }

  @Test
  void writeOfUnknownOutcomeMayTakeEffectLongAfterItsProcessMovedOn() {
    // Process 1's write timed out; it went on to write 2; the unknown write landed afterwards.
    valid(new H().write(1, 1, info, 0, 10).write(1, 2, ok, 20, 30).read(2, 1, 40, 50));
  }

  @Test
  void invocationWithoutCompletionCountsAsUnknown() {
    valid(new H().invoke(1, "write", "x", 3, 0).read(2, 3, 50, 60));
  }

  @Test
  void concurrentWritesMayTakeEffectInEitherOrder() {
    valid(new H().write(1, 1, ok, 0, 100).write(2, 2, ok, 10, 90).read(3, 1, 110, 120));
    valid(new H().write(1, 1, ok, 0, 100).write(2, 2, ok, 10, 90).read(3, 2, 110, 120));
  }

  @Test
  void readConcurrentWithAWriteMaySeeEitherValue() {
    valid(new H().write(1, 1, ok, 0, 10).write(1, 2, ok, 20, 60).read(2, 1, 30, 40).read(3, 2, 30, 40));
  }

  @Test
  void operationsThatOnlyTouchAtEqualTimestampsAreConcurrent() {
    valid(new H().write(1, 1, ok, 0, 10).read(2, null, 10, 20));
    valid(new H().write(1, 1, ok, 0, 10).read(2, 1, 10, 10));
  }

  @Test
  void casChainsAndFailedCasesAreFine() {
    valid(new H().write(1, 1, ok, 0, 10).cas(2, 1, 2, ok, 20, 40).cas(3, 1, 3, fail, 20, 40).read(1, 2, 50, 60));
    // A CAS of unknown outcome may or may not have happened.
    valid(new H().write(1, 1, ok, 0, 10).cas(2, 1, 2, info, 20, 30).read(1, 1, 40, 50).read(1, 1, 60, 70));
    valid(new H().write(1, 1, ok, 0, 10).cas(2, 1, 2, info, 20, 30).read(1, 2, 40, 50));
  }

  @Test
  void keysAreIndependentRegisters() {
    final H h = new H().invoke(1, "write", "a", 1, 0).complete(1, ok, "write", "a", 1, 10)
        .invoke(2, "read", "b", null, 20).complete(2, ok, "read", "b", null, 30)
        .invoke(2, "read", "a", null, 40).complete(2, ok, "read", "a", 1, 50);
    valid(h);
    h.invoke(3, "read", "b", null, 60).complete(3, ok, "read", "b", 1, 70);
    assertEquals("b", invalid(h).key());
  }

  // ------------------------------------------------------------------------------------------ budget, shape

  @Test
  void historyTooHardForTheBudgetIsUnknownNeverValid() {
    // 40 fully concurrent writes then a read of a value none wrote: refuting it means trying every subset.
    final H h = new H();
    for (int p = 0; p < 40; p++) {
      h.invoke(p, "write", "x", p % 3, 0);
    }
    for (int p = 0; p < 40; p++) {
      h.complete(p, ok, "write", "x", p % 3, 1000);
    }
    for (int p = 0; p < 40; p++) {
      h.invoke(p, "write", "x", 10 + p, 2000);
    }
    for (int p = 0; p < 40; p++) {
      h.complete(p, ok, "write", "x", 10 + p, 3000);
    }
    h.read(99, 7, 4000, 4010);
    final LinearizabilityResult r = new LinearizabilityChecker(Duration.ofMillis(300), 1)
        .check(Calls.of(h.events()));
    assertEquals(Verdict.unknown, r.verdict(), r.toString());
    assertTrue(r.keys().get(0).reason().contains("time budget") || r.keys().get(0).reason().contains("states"));
  }

  @Test
  void malformedHistoriesAreRejectedWithTheirPosition() {
    final MalformedHistoryException e = assertThrows(MalformedHistoryException.class, () -> Calls.of(
        new H().invoke(1, "read", "x", null, 0).invoke(1, "read", "x", null, 1).events()));
    assertEquals(1, e.event());
    assertThrows(MalformedHistoryException.class, () -> Calls.of(
        new H().complete(1, Op.Type.ok, "read", "x", null, 0).events()));
    assertThrows(MalformedHistoryException.class, () -> Calls.of(
        new H().invoke(1, "cas", "x", 1, 0).events()));
    assertThrows(MalformedHistoryException.class, () -> Calls.of(
        new H().invoke(1, "frobnicate", "x", 1, 0).events()));
  }
}
