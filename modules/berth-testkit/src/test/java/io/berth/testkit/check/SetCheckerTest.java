package io.berth.testkit.check;

import static io.berth.testkit.history.Op.Type.fail;
import static io.berth.testkit.history.Op.Type.info;
import static io.berth.testkit.history.Op.Type.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.testkit.check.SetChecker.SetResult;
import io.berth.testkit.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetCheckerTest {
  private static H add(H h, int p, int element, Op.Type type, long from, long to) {
    return h.invoke(p, "add", "s", element, from).complete(p, type, "add", "s", element, to);
  }

  private static SetResult check(H h, List<Integer> finalRead, long at) {
    h.invoke(9, "read-all", "", null, at).complete(9, ok, "read-all", "", finalRead, at + 5);
    return new SetChecker().check(Calls.of(h.sorted()));
  }

  @Test
  void everyAcknowledgedElementPresentIsValidAndUnknownAddsMayGoEitherWay() {
    final H h = new H();
    add(h, 1, 1, ok, 0, 10);
    add(h, 2, 2, info, 0, 10);
    add(h, 3, 3, info, 0, 10);
    add(h, 4, 4, fail, 0, 10);
    final SetResult r = check(h, List.of(1, 3), 100);
    assertEquals(Verdict.valid, r.verdict(), r.toString());
    assertEquals(1, r.acknowledged());
    assertEquals(2, r.unknownAdds());
    assertEquals(1, r.infoPresent());
  }

  @Test
  void lostAcknowledgedElementIsCaught() {
    final H h = new H();
    add(h, 1, 1, ok, 0, 10);
    add(h, 2, 2, ok, 0, 10);
    final SetResult r = check(h, List.of(1), 100);
    assertEquals(Verdict.invalid, r.verdict());
    assertEquals(List.of("2"), r.lost());
  }

  @Test
  void unexpectedAndFailedElementsAreCaught() {
    final H h = new H();
    add(h, 1, 1, ok, 0, 10);
    add(h, 2, 2, fail, 0, 10);
    final SetResult r = check(h, List.of(1, 2, 77), 100);
    assertEquals(Verdict.invalid, r.verdict());
    assertEquals(List.of("2", "77"), r.unexpected());
  }

  @Test
  void duplicateIsCaught() {
    final H h = new H();
    add(h, 1, 1, ok, 0, 10);
    final SetResult r = check(h, List.of(1, 1), 100);
    assertEquals(Verdict.invalid, r.verdict());
    assertEquals(List.of("1"), r.duplicates());
  }

  @Test
  void withoutASuccessfulFinalReadTheVerdictIsUnknown() {
    final H h = new H();
    add(h, 1, 1, ok, 0, 10);
    h.invoke(9, "read-all", "", null, 20).complete(9, fail, "read-all", "", null, 30);
    assertEquals(Verdict.unknown, new SetChecker().check(Calls.of(h.sorted())).verdict());
  }
}
