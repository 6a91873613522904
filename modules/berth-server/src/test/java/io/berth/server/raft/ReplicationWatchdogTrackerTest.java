package io.berth.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.server.raft.ReplicationWatchdog.Observation;
import io.berth.server.raft.ReplicationWatchdog.Tracker;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationWatchdogTrackerTest {
  private static final Set<String> MEMBERS = Set.of("b", "c");
  private final Tracker tracker = new Tracker(5_000);

  private static Observation leading(long term, Set<String> replicated) {
    return new Observation(true, term, true, MEMBERS, replicated);
  }

  @Test
  void aMemberTheLeaderStopsReplicatingToIsReportedOnceTheGraceHasPassed() {
    assertEquals(List.of(), tracker.update(0, leading(3, Set.of("b", "c"))));
    assertEquals(List.of(), tracker.update(1_000, leading(3, Set.of("b"))), "just missing");
    assertEquals(List.of(), tracker.update(5_999, leading(3, Set.of("b"))), "not yet for 5 s");
    assertEquals(List.of("c"), tracker.update(6_000, leading(3, Set.of("b"))));
  }

  @Test
  void afterAReportItStaysQuietForTheGraceThenReportsAgainIfNothingChanged() {
    tracker.update(0, leading(3, Set.of()));
    assertEquals(List.of("b", "c"), tracker.update(5_000, leading(3, Set.of())));
    assertEquals(List.of(), tracker.update(6_000, leading(3, Set.of())));
    assertEquals(List.of(), tracker.update(9_999, leading(3, Set.of())));
    assertEquals(List.of("b", "c"), tracker.update(11_000, leading(3, Set.of())),
        "the repair did not help; try again");
  }

  @Test
  void aMemberWhoseAppenderCameBackStartsAfresh() {
    tracker.update(0, leading(3, Set.of("b")));
    tracker.update(4_000, leading(3, Set.of("b", "c")));
    assertEquals(List.of(), tracker.update(7_000, leading(3, Set.of("b"))), "missing since 7 s only");
    assertEquals(List.of("c"), tracker.update(12_000, leading(3, Set.of("b"))));
  }

  @Test
  void aNewTermALostLeadershipOrAChangeInProgressResetsTheCount() {
    tracker.update(0, leading(3, Set.of("b")));
    tracker.update(4_000, leading(4, Set.of("b")));
    assertEquals(List.of(), tracker.update(6_000, leading(4, Set.of("b"))), "counted from the new term");

    tracker.update(7_000, Observation.NOT_LEADING);
    tracker.update(8_000, leading(4, Set.of("b")));
    assertEquals(List.of(), tracker.update(12_000, leading(4, Set.of("b"))), "counted from leading again");

    tracker.update(13_000, new Observation(true, 4, false, MEMBERS, Set.of("b")));
    assertEquals(List.of(), tracker.update(14_000, leading(4, Set.of("b"))));
    assertEquals(List.of("c"), tracker.update(19_000, leading(4, Set.of("b"))));
  }

  @Test
  void aMemberThatLeftTheConfigurationIsNotReported() {
    tracker.update(0, leading(3, Set.of("b")));
    assertEquals(List.of(), tracker.update(6_000, new Observation(true, 3, true, Set.of("b"), Set.of("b"))));
  }
}
