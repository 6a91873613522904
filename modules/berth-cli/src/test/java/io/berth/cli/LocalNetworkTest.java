package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import io.berth.client.MemberStatus;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.PodNetwork;
import io.berth.testkit.local.PodStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods in their own network namespaces (root only): a partition isolates the leader, the majority elects a new
 * one and keeps taking writes, the partition follows a rescheduled pod, healing brings everyone back, and
 * nothing of the network is left behind.
 */
class LocalNetworkTest {
  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void isolatedLeaderIsReplacedAndHealingBringsItBack(@TempDir Path dir) throws Exception {
    final PodNetwork network;
    try {
      network = PodNetwork.namespaces();
    } catch (IllegalStateException e) {
      Assumptions.abort("network faults were not run: " + e.getMessage());
      return;
    }
    final String id = network.describe().get("id");
    try (LocalStatefulSet sts = LocalStatefulSet.builder(dir, Manifests.fromDirectory(Path.of("../../k8s/base")))
        .network(network).build()) {
      sts.up(READY);
      LocalStatefulSetTest.await("a leader", () -> sts.leader().isPresent());
      assertTrue(sts.status().stream().allMatch(p -> p.ip().startsWith("10.")), sts.status().toString());
      try (BerthClient client = BerthClient.builder().endpoints(sts.endpoints()).build()) {
        client.put("before", "partition");
        final String old = sts.leader().orElseThrow().name();
        final List<String> others = sts.status().stream().map(PodStatus::name).filter(n -> !n.equals(old)).toList();

        sts.partition(List.of(Set.of(old), Set.copyOf(others)));
        final PodStatus majority = sts.pod(others.get(0));
        LocalStatefulSetTest.await("a new leader on the majority side", () -> view(majority)
            .flatMap(ClusterStatus::leader).filter(l -> !l.equals(old)).isPresent());
        assertEquals("during", put(client, "during"));
        // The isolated member is unreachable from the majority.
        assertFalse(member(view(majority).orElseThrow(), old).healthy());

        // Rescheduled while isolated: the partition follows it to its new IP.
        final PodStatus moved = sts.deletePod(old, Optional.empty());
        LocalStatefulSetTest.await("the moved member's process is up", () -> view(sts.pod(old)).isPresent());
        Thread.sleep(3000);
        assertFalse(member(view(sts.pod(others.get(0))).orElseThrow(), old).healthy(),
            "the partition must still cut " + old + " at its new IP " + moved.ip());

        sts.heal();
        LocalStatefulSetTest.await("every member healthy again", () -> view(sts.pod(others.get(0)))
            .map(s -> s.members().stream().allMatch(MemberStatus::healthy)).orElse(false));
        try (BerthClient direct = BerthClient.builder().endpoints(moved.ip() + ":" + sts.clientPort()).build()) {
          LocalStatefulSetTest.await("the healed member caught up", () -> direct.get("during",
              io.berth.client.Consistency.SERIALIZABLE).found());
        }
        assertNotEquals(old, view(majority).flatMap(ClusterStatus::leader).orElse(old));
      }
    }
    final String namespaces = run("ip", "netns", "list");
    assertFalse(namespaces.contains("berth-" + id + "-"), namespaces);
    assertFalse(run("ip", "-o", "link").contains("bq" + id + ":"), "the bridge bq" + id + " is left");
  }

  private static String put(BerthClient client, String key) {
    client.put(key, key);
    return client.get(key).valueUtf8().orElseThrow();
  }

  private static Optional<ClusterStatus> view(PodStatus pod) {
    try (BerthClient one = BerthClient.builder().endpoints(pod.ip() + ":7379").requestTimeout(Duration.ofSeconds(2))
        .retryBudget(Duration.ofSeconds(2)).build()) {
      return Optional.of(one.status());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static MemberStatus member(ClusterStatus s, String name) {
    return s.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
