package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatefulSetPeersTest {

  @Test
  void threeReplicasGiveThePodDnsNamesInOrdinalOrder() {
    StatefulSetPeers sts = new StatefulSetPeers("berth", 3, "berth-peers", "prod", "cluster.local", 7380, 7379);
    assertEquals(List.of(
        new PeerSpec("berth-0", "berth-0.berth-peers.prod.svc.cluster.local", 7380, 7379),
        new PeerSpec("berth-1", "berth-1.berth-peers.prod.svc.cluster.local", 7380, 7379),
        new PeerSpec("berth-2", "berth-2.berth-peers.prod.svc.cluster.local", 7380, 7379)), sts.peers());
    assertEquals("berth-2.berth-peers.prod.svc.cluster.local:7380", sts.peers().get(2).peerAddress());
  }

  @Test
  void fiveReplicasUseTheGivenDomainAndPorts() {
    StatefulSetPeers sts = new StatefulSetPeers("kv", 5, "kv-hl", "team-a", "corp.example", 9000, 9001);
    List<String> peerAddresses = sts.peers().stream().map(PeerSpec::peerAddress).toList();
    List<String> clientAddresses = sts.peers().stream().map(PeerSpec::clientAddress).toList();
    assertEquals(List.of(
        "kv-0.kv-hl.team-a.svc.corp.example:9000",
        "kv-1.kv-hl.team-a.svc.corp.example:9000",
        "kv-2.kv-hl.team-a.svc.corp.example:9000",
        "kv-3.kv-hl.team-a.svc.corp.example:9000",
        "kv-4.kv-hl.team-a.svc.corp.example:9000"), peerAddresses);
    assertEquals("kv-4.kv-hl.team-a.svc.corp.example:9001", clientAddresses.get(4));
    assertEquals(List.of("kv-0", "kv-1", "kv-2", "kv-3", "kv-4"),
        sts.peers().stream().map(PeerSpec::name).toList());
  }

  @Test
  void selfIsTheEntryWithTheMembersOrdinal() {
    StatefulSetPeers sts = new StatefulSetPeers("berth", 3, "berth-peers", "prod", "cluster.local", 7380, 7379);
    assertEquals(sts.peers().get(1), sts.self(MemberName.parse("berth-1")));
  }

  @Test
  void ordinalOutsideReplicasIsAPodCreatedByScalingUp() {
    StatefulSetPeers sts = new StatefulSetPeers("berth", 3, "berth-peers", "prod", "cluster.local", 7380, 7379);
    PeerSpec self = sts.self(MemberName.parse("berth-3"));
    assertEquals("berth-3.berth-peers.prod.svc.cluster.local", self.host());
    assertFalse(sts.peers().contains(self));
  }

  @Test
  void memberOfAnotherStatefulSetIsRejected() {
    StatefulSetPeers sts = new StatefulSetPeers("berth", 3, "berth-peers", "prod", "cluster.local", 7380, 7379);
    ConfigException e = assertThrows(ConfigException.class, () -> sts.self(MemberName.parse("other-0")));
    assertTrue(e.getMessage().contains("does not belong to StatefulSet 'berth'"), e.getMessage());
  }

  @Test
  void zeroReplicasIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new StatefulSetPeers("berth", 0, "berth-peers", "prod", "cluster.local", 7380, 7379));
    assertTrue(e.getMessage().startsWith("replicas is 0; a cluster needs at least 1 member"), e.getMessage());
  }

  @Test
  void invalidServiceAndNamespaceAreRejectedByName() {
    ConfigException service = assertThrows(ConfigException.class,
        () -> new StatefulSetPeers("berth", 3, "Berth_Peers", "prod", "cluster.local", 7380, 7379));
    assertTrue(service.getMessage().startsWith("service 'Berth_Peers' is not a valid DNS label"),
        service.getMessage());
    ConfigException namespace = assertThrows(ConfigException.class,
        () -> new StatefulSetPeers("berth", 3, "berth-peers", "prod.eu", "cluster.local", 7380, 7379));
    assertTrue(namespace.getMessage().startsWith("namespace 'prod.eu' is not a valid DNS label"),
        namespace.getMessage());
  }

  @Test
  void clusterDomainWithTrailingDotIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new StatefulSetPeers("berth", 3, "berth-peers", "prod", "cluster.local.", 7380, 7379));
    assertTrue(e.getMessage().startsWith("cluster domain 'cluster.local.' is not a valid DNS name"),
        e.getMessage());
  }
}
