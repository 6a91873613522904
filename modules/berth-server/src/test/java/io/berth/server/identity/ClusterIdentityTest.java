package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterIdentityTest {

  @Test
  void groupIdIsTheNameUuidOfNamespaceAndStatefulSet() {
    assertEquals(UUID.nameUUIDFromBytes("berth/prod/berth".getBytes(StandardCharsets.UTF_8)),
        new ClusterIdentity("prod", "berth").groupId());
  }

  @Test
  void groupIdIsStableAcrossInstances() {
    assertEquals(new ClusterIdentity("prod", "berth").groupId(), new ClusterIdentity("prod", "berth").groupId());
  }

  @Test
  void groupIdIsPinned() {
    // The id is written to every volume: changing its derivation would orphan every existing cluster.
    assertEquals(UUID.fromString("8b6bb7e2-5f88-3f19-b302-d05807bb700c"),
        new ClusterIdentity("prod", "berth").groupId());
    assertEquals(UUID.fromString("a881d55f-f233-34e6-abd5-25c52b4c43b9"),
        new ClusterIdentity(ClusterIdentity.DEFAULT_NAMESPACE, ClusterIdentity.DEFAULT_NAME).groupId());
  }

  @Test
  void groupIdDiffersAcrossNamespacesAndStatefulSets() {
    UUID prod = new ClusterIdentity("prod", "berth").groupId();
    assertNotEquals(prod, new ClusterIdentity("staging", "berth").groupId());
    assertNotEquals(prod, new ClusterIdentity("prod", "berth2").groupId());
  }

  @Test
  void clusterIdIsNamespaceSlashName() {
    assertEquals("prod/berth", new ClusterIdentity("prod", "berth").clusterId());
  }

  @Test
  void invalidNamespaceIsRejected() {
    assertThrows(ConfigException.class, () -> new ClusterIdentity("Prod", "berth"));
  }
}
