package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.MemberIdentity;
import io.berth.server.identity.MemberConfig.Discovery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberConfigTest {
  private static final Environment NO_ENV = Environment.of(Map.of(), null);

  private static MemberOptions.Builder options() {
    return MemberOptions.builder();
  }

  private static ConfigException rejects(MemberOptions options, Environment env) {
    return assertThrows(ConfigException.class, () -> MemberConfig.resolve(options, env));
  }

  @Test
  void statefulSetFromFlags() {
    MemberConfig config = MemberConfig.resolve(options().name("berth-1").replicas(3).service("berth-peers")
        .namespace("prod").build(), NO_ENV);
    assertEquals(Discovery.STATEFUL_SET, config.discovery());
    assertEquals(new PeerSpec("berth-1", "berth-1.berth-peers.prod.svc.cluster.local", 7380, 7379), config.self());
    assertEquals(List.of("berth-0.berth-peers.prod.svc.cluster.local:7380",
        "berth-1.berth-peers.prod.svc.cluster.local:7380", "berth-2.berth-peers.prod.svc.cluster.local:7380"),
        config.peers().stream().map(PeerSpec::peerAddress).toList());
    assertEquals(List.of("berth-0", "berth-2"), config.others().stream().map(PeerSpec::name).toList());
    assertEquals("prod/berth", config.clusterId());
    assertEquals(new ClusterIdentity("prod", "berth").groupId(), config.groupId());
  }

  @Test
  void statefulSetEntirelyFromTheEnvironmentAsInAPod() {
    Environment pod = Environment.of(Map.of("POD_NAME", "berth-2", "POD_NAMESPACE", "prod",
        "BERTH_REPLICAS", "3", "BERTH_SERVICE", "berth-peers"), "berth-2");
    MemberConfig config = MemberConfig.resolve(options().build(), pod);
    assertEquals("berth-2.berth-peers.prod.svc.cluster.local:7380", config.self().peerAddress());
    assertEquals(3, config.peers().size());
    assertEquals("prod/berth", config.clusterId());
  }

  @Test
  void nameComesFromFlagThenPodNameThenShortHostname() {
    Map<String, String> vars = Map.of("BERTH_REPLICAS", "3", "BERTH_SERVICE", "s", "POD_NAMESPACE", "ns",
        "POD_NAME", "berth-1");
    String fqdn = "berth-2.s.ns.svc.cluster.local";
    assertEquals("berth-0", MemberConfig.resolve(options().name("berth-0").build(),
        Environment.of(vars, fqdn)).self().name());
    assertEquals("berth-1", MemberConfig.resolve(options().build(), Environment.of(vars, fqdn)).self().name());
    Map<String, String> noPodName = Map.of("BERTH_REPLICAS", "3", "BERTH_SERVICE", "s", "POD_NAMESPACE", "ns");
    assertEquals("berth-2", MemberConfig.resolve(options().build(), Environment.of(noPodName, fqdn)).self().name());
  }

  @Test
  void namespaceComesFromFlagThenBerthNamespaceThenPodNamespace() {
    Map<String, String> both = Map.of("BERTH_NAMESPACE", "from-berth", "POD_NAMESPACE", "from-pod");
    MemberOptions.Builder base = options().name("berth-0").replicas(1).service("svc");
    assertEquals("from-flag/berth",
        MemberConfig.resolve(base.namespace("from-flag").build(), Environment.of(both, null)).clusterId());
    base.namespace(null);
    assertEquals("from-berth/berth", MemberConfig.resolve(base.build(), Environment.of(both, null)).clusterId());
    assertEquals("from-pod/berth", MemberConfig.resolve(base.build(),
        Environment.of(Map.of("POD_NAMESPACE", "from-pod"), null)).clusterId());
  }

  @Test
  void clusterDomainComesFromFlagThenEnvironmentThenDefault() {
    MemberOptions.Builder base = options().name("berth-0").replicas(1).service("s").namespace("ns");
    Environment env = Environment.of(Map.of("BERTH_CLUSTER_DOMAIN", "env.example"), null);
    assertEquals("berth-0.s.ns.svc.flag.example",
        MemberConfig.resolve(base.clusterDomain("flag.example").build(), env).self().host());
    base.clusterDomain(null);
    assertEquals("berth-0.s.ns.svc.env.example", MemberConfig.resolve(base.build(), env).self().host());
    assertEquals("berth-0.s.ns.svc.cluster.local", MemberConfig.resolve(base.build(), NO_ENV).self().host());
  }

  @Test
  void portFlagsApplyToEveryPeer() {
    MemberConfig config = MemberConfig.resolve(options().name("b-0").replicas(2).service("s").namespace("ns")
        .peerPort(9380).clientPort(9379).build(), NO_ENV);
    assertEquals("b-1.s.ns.svc.cluster.local:9380", config.peers().get(1).peerAddress());
    assertEquals("b-1.s.ns.svc.cluster.local:9379", config.peers().get(1).clientAddress());
  }

  @Test
  void blankEnvironmentVariablesCountAsUnset() {
    Environment env = Environment.of(Map.of("POD_NAME", " ", "BERTH_NAMESPACE", "", "POD_NAMESPACE", "prod",
        "BERTH_PEERS", "", "BERTH_REPLICAS", "3", "BERTH_SERVICE", "s"), "berth-1");
    MemberConfig config = MemberConfig.resolve(options().build(), env);
    assertEquals("berth-1", config.self().name());
    assertEquals("prod/berth", config.clusterId());
  }

  @Test
  void aModeFlagBeatsTheOtherModesVariable() {
    Environment env = Environment.of(Map.of("BERTH_PEERS", "x=h:1:2"), null);
    MemberConfig config = MemberConfig.resolve(options().name("berth-0").replicas(1).build(), env);
    assertEquals(Discovery.STATEFUL_SET, config.discovery());
  }

  @Test
  void singleReplicaWithoutServiceIsAMemberOnLocalhost() {
    MemberConfig config = MemberConfig.resolve(options().name("berth-0").replicas(1).build(), NO_ENV);
    assertEquals(List.of(new PeerSpec("berth-0", "localhost", 7380, 7379)), config.peers());
    assertEquals("default/berth", config.clusterId());
  }

  @Test
  void noPeersConfiguredExplainsBothWays() {
    ConfigException e = rejects(options().name("berth-0").build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("no peers configured"), e.getMessage());
    assertTrue(e.getMessage().contains("--replicas N --service S --namespace NS"), e.getMessage());
    assertTrue(e.getMessage().contains("--peers NAME=HOST:PEER_PORT:CLIENT_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("--replicas 1"), e.getMessage());
  }

  @Test
  void bothModeFlagsAreRejected() {
    ConfigException e = rejects(options().name("a").peers("a=h:1:2").replicas(1).build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("--peers and --replicas are both given"), e.getMessage());
  }

  @Test
  void bothModeVariablesAreRejected() {
    Environment env = Environment.of(Map.of("BERTH_PEERS", "a=h:1:2", "BERTH_REPLICAS", "1"), null);
    ConfigException e = rejects(options().name("a").build(), env);
    assertTrue(e.getMessage().startsWith("BERTH_PEERS and BERTH_REPLICAS are both set"), e.getMessage());
  }

  @Test
  void replicasVariableThatIsNotANumberIsNamed() {
    Environment env = Environment.of(Map.of("BERTH_REPLICAS", "three"), null);
    ConfigException e = rejects(options().name("berth-0").build(), env);
    assertTrue(e.getMessage().startsWith("BERTH_REPLICAS 'three' is not a number"), e.getMessage());
  }

  @Test
  void zeroReplicasIsRejected() {
    ConfigException e = rejects(options().name("berth-0").replicas(0).build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("--replicas is 0; a cluster needs at least 1 member"), e.getMessage());
  }

  @Test
  void severalReplicasNeedTheService() {
    ConfigException e = rejects(options().name("berth-0").replicas(3).namespace("ns").build(), NO_ENV);
    assertTrue(e.getMessage().contains("pass --service or set BERTH_SERVICE"), e.getMessage());
  }

  @Test
  void serviceWithoutNamespaceSaysWhereToGetIt() {
    ConfigException e = rejects(options().name("berth-0").replicas(3).service("s").build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("the namespace is unknown"), e.getMessage());
    assertTrue(e.getMessage().contains("POD_NAMESPACE"), e.getMessage());
  }

  @Test
  void invalidServiceNamesItsSource() {
    Environment env = Environment.of(Map.of("BERTH_SERVICE", "Peers"), null);
    ConfigException e = rejects(options().name("berth-0").replicas(3).namespace("ns").build(), env);
    assertTrue(e.getMessage().startsWith("BERTH_SERVICE 'Peers' is not a valid DNS label"), e.getMessage());
  }

  @Test
  void ordinalOutsideReplicasDuringScaleUpJoinsInsteadOfBootstrapping() {
    MemberConfig c = MemberConfig.resolve(options().name("berth-3").replicas(3).service("s").namespace("ns").build(),
        NO_ENV);
    assertFalse(c.bootstrapVoter());
    assertEquals("berth-3.s.ns.svc.cluster.local", c.self().host());
    assertEquals(3, c.peers().size());
    assertEquals("berth-4.s.ns.svc.cluster.local", c.addressesOf("berth-4").orElseThrow().host());
    assertTrue(c.addressesOf("other-1").isEmpty());
  }

  @Test
  void ordinalOutsideASingleReplica() {
    ConfigException e = rejects(options().name("berth-1").replicas(1).build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("member berth-1 is not in the configured peers berth-0, and without a"
        + " headless Service it cannot find them: pass --service"), e.getMessage());
  }

  @Test
  void hostnameWithoutOrdinalSaysWhereTheNameCameFrom() {
    ConfigException e = rejects(options().replicas(1).build(), Environment.of(Map.of(), "laptop.local"));
    assertTrue(e.getMessage().startsWith("member name 'laptop' (from the hostname) has no ordinal"),
        e.getMessage());
  }

  @Test
  void noNameAnywhereIsRejected() {
    ConfigException e = rejects(options().replicas(1).build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("cannot tell this member's name"), e.getMessage());
  }

  @Test
  void peerListFindsSelfAndKeepsListOrder() {
    MemberConfig config = MemberConfig.resolve(options().name("n2")
        .peers("n1=127.0.0.1:7380:7379,n2=127.0.0.2:7380:7379,n3=127.0.0.3:7380:7379").build(), NO_ENV);
    assertEquals(Discovery.PEER_LIST, config.discovery());
    assertEquals(new PeerSpec("n2", "127.0.0.2", 7380, 7379), config.self());
    assertEquals(List.of("n1", "n2", "n3"), config.peers().stream().map(PeerSpec::name).toList());
    assertEquals("default/berth", config.clusterId());
  }

  @Test
  void peerListFromTheEnvironment() {
    Environment env = Environment.of(Map.of("BERTH_PEERS", "a=h1:1:2,b=h2:1:2", "POD_NAME", "b"), null);
    assertEquals("h2", MemberConfig.resolve(options().build(), env).self().host());
  }

  @Test
  void peerListWithoutSelfListsTheNamesPresent() {
    ConfigException e = rejects(options().name("berth-3").peers("berth-0=h0:1:2,berth-1=h1:1:2").build(),
        NO_ENV);
    assertEquals("this member's name 'berth-3' (from --name) is not in --peers (berth-0, berth-1); pass --name"
        + " with one of them or add this member to the list", e.getMessage());
  }

  @Test
  void peerListErrorsNameTheVariable() {
    Environment env = Environment.of(Map.of("BERTH_PEERS", "a=h1"), null);
    ConfigException e = rejects(options().name("a").build(), env);
    assertTrue(e.getMessage().startsWith("invalid BERTH_PEERS entry 'a=h1': no ports"), e.getMessage());
  }

  @Test
  void portFlagMustAgreeWithTheOwnPeerListEntry() {
    ConfigException e = rejects(options().name("a").peers("a=h:7380:7379").peerPort(7390).build(), NO_ENV);
    assertEquals("--peer-port 7390 disagrees with the --peers entry for a (peer port 7380); drop --peer-port or"
        + " fix the entry", e.getMessage());
    MemberConfig agreeing = MemberConfig.resolve(options().name("a").peers("a=h:7380:7379").peerPort(7380)
        .clientPort(7379).build(), NO_ENV);
    assertEquals(7380, agreeing.self().peerPort());
  }

  @Test
  void serviceFlagIsRejectedWithPeerList() {
    ConfigException e = rejects(options().name("a").peers("a=h:1:2").service("s").build(), NO_ENV);
    assertTrue(e.getMessage().startsWith("--service applies only with --replicas"), e.getMessage());
  }

  @Test
  void peerListClusterUsesNamespaceAndClusterName() {
    MemberConfig config = MemberConfig.resolve(options().name("a").peers("a=h:1:2").namespace("dev")
        .clusterName("demo").build(), NO_ENV);
    assertEquals("dev/demo", config.clusterId());
    assertEquals(new ClusterIdentity("dev", "demo").groupId(), config.groupId());
  }

  @Test
  void identityCarriesGroupPeerAndCluster() {
    MemberConfig config = MemberConfig.resolve(options().name("berth-1").replicas(3).service("s")
        .namespace("prod").build(), NO_ENV);
    MemberIdentity identity = config.identity(1234L);
    assertEquals(config.groupId().toString(), identity.getGroupId());
    assertEquals("berth-1", identity.getPeerId());
    assertEquals("prod/berth", identity.getClusterId());
    assertEquals(1234L, identity.getCreatedUnixMillis());
  }

  @Test
  void everyMemberOfAStatefulSetAgreesOnTheGroup() {
    Environment env = Environment.of(Map.of("BERTH_REPLICAS", "3", "BERTH_SERVICE", "s", "POD_NAMESPACE",
        "prod"), null);
    var groups = List.of("berth-0", "berth-1", "berth-2").stream()
        .map(n -> MemberConfig.resolve(options().name(n).build(), env).groupId()).distinct().toList();
    assertEquals(1, groups.size());
  }
}
