package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerSpecTest {

  @Test
  void addressesKeepTheHostName() {
    PeerSpec peer = new PeerSpec("berth-1", "berth-1.berth-peers.prod.svc.cluster.local", 7380, 7379);
    assertEquals("berth-1.berth-peers.prod.svc.cluster.local:7380", peer.peerAddress());
    assertEquals("berth-1.berth-peers.prod.svc.cluster.local:7379", peer.clientAddress());
  }

  @Test
  void ipv6HostIsBracketedInAddresses() {
    PeerSpec peer = new PeerSpec("n1", "::1", 7380, 7379);
    assertEquals("[::1]:7380", peer.peerAddress());
    assertEquals("[::1]:7379", peer.clientAddress());
  }

  @Test
  void samePortForPeerAndClientIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> new PeerSpec("n1", "h", 7380, 7380));
    assertTrue(e.getMessage().contains("uses port 7380 as both peer and client port"), e.getMessage());
  }

  @Test
  void portOutsideRangeIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> new PeerSpec("n1", "h", 0, 7379));
    assertEquals("peer port 0 of member n1 is outside 1..65535", e.getMessage());
  }
}
