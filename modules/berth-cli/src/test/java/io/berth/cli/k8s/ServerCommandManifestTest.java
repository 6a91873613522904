package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.PeerSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The container's command, args and environment, as {@code berth server}'s own parser and identity resolution
 * read them in every pod of every kustomization: accepted, and describing the cluster the manifest builds.
 */
class ServerCommandManifestTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void everyPodResolvesToItsOwnMemberOfOneCluster(Rendered r) {
    final Set<String> groups = new HashSet<>();
    for (int i = 0; i < r.replicas(); i++) {
      final MemberConfig member = StatefulSetTest.memberOf(r, i);
      final String pod = PodEnvironment.podName(r, i);
      assertEquals(pod, member.self().name(), r + ": member name of pod " + pod);
      assertEquals(r.replicas(), member.peers().size(), r + ": pod " + pod + " sees " + member.peers().size()
          + " voting members but spec.replicas is " + r.replicas());
      for (int j = 0; j < r.replicas(); j++) {
        final PeerSpec peer = member.peers().get(j);
        assertEquals(PodEnvironment.podName(r, j) + "." + r.serviceName() + "." + r.namespace()
            + ".svc.cluster.local", peer.host(), r + ": peer " + j + " must be the pod's name under the headless Service");
        assertEquals(r.containerPort("peer"), peer.peerPort(), r + ": peer port must be the container port peer");
        assertEquals(r.containerPort("client"), peer.clientPort(), r + ": client port must be the container port client");
      }
      assertEquals(r.namespace() + "/" + Yamls.str(r.statefulSet(), "metadata", "name"), member.clusterId(),
          r + ": cluster id");
      groups.add(member.groupId().toString());
    }
    assertEquals(1, groups.size(), r + ": every member must derive the same Raft group id");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void dataDirIsTheMountedClaimAndPortsAreTheContainerPorts(Rendered r) {
    final ServerInvocation server = ServerInvocation.parse(PodEnvironment.argv(r, 1), PodEnvironment.env(r, 1));
    final Path dataDir = server.option("--data-dir");
    assertNotNull(dataDir, r + ": --data-dir");
    final Map<String, Object> mount = r.mountAt(dataDir.toString());
    assertNotNull(mount, r + ": nothing is mounted at the --data-dir " + dataDir + "; the data would live in the"
        + " container and vanish with it");
    assertEquals("data", str(mount, "name"), r + ": the --data-dir must be the data claim's mount");
    final int adminPort = server.option("--admin-port");
    assertEquals(r.containerPort("admin"), adminPort, r + ": admin port");
    assertEquals("0.0.0.0", server.option("--bind-address"), r + ": the member must listen on all addresses"
        + " (pod IP for peers and probes, loopback for kubectl port-forward)");
    assertEquals(Set.of(7379, 7380, 7381), Set.copyOf(list(r.container(), "ports").stream()
        .map(p -> Yamls.integer(p, "containerPort")).toList()), r + ": the ports DESIGN fixes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void commandIsBerthServer(Rendered r) {
    final List<String> argv = PodEnvironment.argv(r, 0);
    assertEquals(List.of("berth", "server"), argv.subList(0, 2), r + ": the emulator and the image run `berth server`");
  }
}
