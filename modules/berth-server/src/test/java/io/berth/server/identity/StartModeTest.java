package io.berth.server.identity;

import static io.berth.server.identity.StartMode.ClusterState.EXISTS;
import static io.berth.server.identity.StartMode.ClusterState.NEW;
import static io.berth.server.identity.StartMode.ClusterState.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.server.identity.StartMode.ClusterState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StartModeTest {

  @ParameterizedTest
  @EnumSource(ClusterState.class)
  void markedVolumeWithRaftStateRestartsWithoutAskingPeers(ClusterState cluster) {
    assertEquals(StartMode.RESTART, StartMode.decide(true, true, cluster));
  }

  @ParameterizedTest
  @EnumSource(ClusterState.class)
  void raftStateWithoutMarkerIsRefused(ClusterState cluster) {
    assertEquals(StartMode.REFUSE, StartMode.decide(false, true, cluster));
  }

  @Test
  void emptyVolumeOfAnExistingClusterMustNotActAsTheOldVoter() {
    assertEquals(StartMode.REJOIN, StartMode.decide(false, false, EXISTS));
  }

  @Test
  void markerAloneDoesNotMakeALostVolumeAVoterAgain() {
    assertEquals(StartMode.REJOIN, StartMode.decide(true, false, EXISTS));
  }

  @Test
  void emptyVolumeOfANewClusterBootstraps() {
    assertEquals(StartMode.BOOTSTRAP, StartMode.decide(false, false, NEW));
    assertEquals(StartMode.BOOTSTRAP, StartMode.decide(true, false, NEW));
  }

  @Test
  void emptyVolumeWaitsWhileTheClusterIsUnknown() {
    assertEquals(StartMode.WAIT, StartMode.decide(false, false, UNKNOWN));
    assertEquals(StartMode.WAIT, StartMode.decide(true, false, UNKNOWN));
  }

  @Test
  void anyPeerWithRaftStateMeansTheClusterExists() {
    assertEquals(EXISTS, ClusterState.fromAnswers(3, 1, 1));
    assertEquals(EXISTS, ClusterState.fromAnswers(5, 0, 1));
  }

  @Test
  void clusterIsNewOnlyWhenAMajorityIsKnownEmpty() {
    assertEquals(NEW, ClusterState.fromAnswers(1, 0, 0));
    assertEquals(UNKNOWN, ClusterState.fromAnswers(3, 0, 0));
    assertEquals(NEW, ClusterState.fromAnswers(3, 1, 0));
    assertEquals(UNKNOWN, ClusterState.fromAnswers(5, 1, 0));
    assertEquals(NEW, ClusterState.fromAnswers(5, 2, 0));
    assertEquals(UNKNOWN, ClusterState.fromAnswers(4, 1, 0));
    assertEquals(NEW, ClusterState.fromAnswers(4, 2, 0));
  }

  @Test
  void moreAnswersThanPeersIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> ClusterState.fromAnswers(3, 2, 1));
  }
}
