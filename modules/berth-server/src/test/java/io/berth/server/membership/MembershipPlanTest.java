package io.berth.server.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.membership.MembershipException.Reason;
import io.berth.server.raft.RaftMembership.Configuration;
import io.berth.server.raft.RaftMembership.Progress;
import io.berth.server.raft.RaftNode.Member;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipPlanTest {
  private static final long LIVE_MS = 1000;

  private static Member m(String id) {
    return new Member(id, id + ".peers:7380", id + ".peers:7379");
  }

  private static List<Member> ms(String... ids) {
    return Arrays.stream(ids).map(MembershipPlanTest::m).toList();
  }

  /** A plan led by the first voter; {@code down} have not answered the leader for 10 s. */
  private static MembershipPlan plan(List<Member> voters, List<Member> listeners, String... down) {
    final Map<String, Progress> progress = new HashMap<>();
    final Set<String> dead = Set.of(down);
    voters.forEach(v -> progress.put(v.id(), new Progress(100, dead.contains(v.id()) ? 10_000 : 10)));
    listeners.forEach(l -> progress.put(l.id(), new Progress(90, dead.contains(l.id()) ? 10_000 : 10)));
    return new MembershipPlan(new Configuration(7, voters, listeners, true), progress, voters.get(0).id(), LIVE_MS);
  }

  private static String refused(Reason reason, Executable change) {
    final MembershipException e = assertThrows(MembershipException.class, change::execute);
    assertEquals(reason, e.reason(), e.getMessage());
    return e.getMessage();
  }

  private interface Executable {
    void execute();
  }

  @Test
  void aNewMemberJoinsAsAListener() {
    final MembershipPlan.Change c = plan(ms("berth-0", "berth-1", "berth-2"), List.of()).add(m("berth-3"));
    assertEquals(ms("berth-0", "berth-1", "berth-2"), c.voters());
    assertEquals(ms("berth-3"), c.listeners());
  }

  @Test
  void aNewIncarnationReplacesTheOldOneInTheSameChange() {
    final MembershipPlan.Change c = plan(ms("berth-0", "berth-1", "berth-2"), List.of(), "berth-1")
        .add(m("berth-1~2"));
    assertEquals(ms("berth-0", "berth-2"), c.voters());
    assertEquals(ms("berth-1~2"), c.listeners());
    assertTrue(c.description().contains("replacing berth-1"), c.description());
  }

  @Test
  void aNewIncarnationIsNotAddedWhileTheRestHasNoLiveMajority() {
    final String why = refused(Reason.UNSAFE, () -> plan(ms("berth-0", "berth-1", "berth-2"), List.of(),
        "berth-1", "berth-2").add(m("berth-1~2")));
    assertTrue(why.contains("would lose quorum"), why);
  }

  @Test
  void removingAMajorityIsRefused() {
    final String why = refused(Reason.UNSAFE, () -> plan(ms("berth-0", "berth-1", "berth-2"), List.of())
        .remove(List.of("berth-1", "berth-2")));
    assertTrue(why.contains("2 of 3 voters") && why.contains("majority"), why);
  }

  @Test
  void removingTheLastVoterIsRefused() {
    final String why = refused(Reason.UNSAFE, () -> plan(ms("berth-0"), ms("berth-1")).remove(List.of("berth-0")));
    assertTrue(why.contains("last voter"), why);
  }

  @Test
  void removingAVoterWhileAnotherIsDownWouldLoseQuorum() {
    final String why = refused(Reason.UNSAFE, () -> plan(ms("berth-0", "berth-1", "berth-2"), List.of(),
        "berth-2").remove(List.of("berth-1")));
    assertTrue(why.contains("would lose quorum") && why.contains("not answering: berth-2"), why);
  }

  @Test
  void removingADeadMinorityIsAllowed() {
    final MembershipPlan.Change c = plan(ms("berth-0", "berth-1", "berth-2", "berth-3", "berth-4"), List.of(),
        "berth-3", "berth-4").remove(List.of("berth-4", "berth-3"));
    assertEquals(ms("berth-0", "berth-1", "berth-2"), c.voters());
  }

  @Test
  void unknownMembersAreNamed() {
    final String why = refused(Reason.UNKNOWN_MEMBER, () -> plan(ms("berth-0", "berth-1", "berth-2"), List.of())
        .remove(List.of("berth-9")));
    assertTrue(why.startsWith("no member berth-9 in the configuration (voters berth-0, berth-1, berth-2)"), why);
  }

  @Test
  void aPodNameFindsItsOnlyIncarnation() {
    final MembershipPlan p = plan(ms("berth-0", "berth-1~2", "berth-2"), List.of());
    assertEquals("berth-1~2", p.resolve("berth-1").id());
  }

  @Test
  void promotionMakesAListenerAVoter() {
    final MembershipPlan p = plan(ms("berth-0", "berth-1", "berth-2"), ms("berth-3"));
    assertEquals(10, p.lag("berth-3"));
    final MembershipPlan.Change c = p.promote("berth-3");
    assertEquals(ms("berth-0", "berth-1", "berth-2", "berth-3"), c.voters());
    assertEquals(List.of(), c.listeners());
    refused(Reason.INVALID, () -> p.promote("berth-1"));
    refused(Reason.UNSAFE, () -> plan(ms("berth-0", "berth-1", "berth-2"), ms("berth-3"), "berth-3")
        .promote("berth-3"));
  }

  @Test
  void promotionTakesTheListenerOutThenAddsItBackAsAVoterWithoutChangingTheVotersInBetween() {
    final MembershipPlan p = plan(ms("berth-0", "berth-1", "berth-2"), ms("berth-3", "berth-4"));
    final List<MembershipPlan.Change> steps = p.promoteSteps("berth-3");
    assertEquals(2, steps.size());
    assertEquals(ms("berth-0", "berth-1", "berth-2"), steps.get(0).voters());
    assertEquals(ms("berth-4"), steps.get(0).listeners());
    assertEquals(ms("berth-0", "berth-1", "berth-2", "berth-3"), steps.get(1).voters());
    assertEquals(ms("berth-4"), steps.get(1).listeners());
    refused(Reason.INVALID, () -> p.promoteSteps("berth-1"));
  }

  @Test
  void addingAMemberTwiceIsRefused() {
    refused(Reason.INVALID, () -> plan(ms("berth-0", "berth-1", "berth-2"), ms("berth-3")).add(m("berth-3")));
  }
}
