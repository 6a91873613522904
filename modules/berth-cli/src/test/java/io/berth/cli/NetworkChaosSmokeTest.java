package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testkit.local.PodNetwork;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions under load (root only: pods in their own network namespaces): the isolated leader is
 * replaced, a bridge topology keeps one leader, and nothing acknowledged is lost. Without root the test says
 * that network faults were not run.
 */
class NetworkChaosSmokeTest {
  @Test
  void partitionsLoseNothing(@TempDir Path dir) throws Exception {
    try {
      PodNetwork.namespaces().close();
    } catch (IllegalStateException e) {
      Assumptions.abort("network faults were not run: " + e.getMessage());
    }
    final Path report = dir.resolve("report");
    final Cli.Result r = Cli.run("chaos", "run", "--nemesis", "partition-leader,partition-bridge", "--duration",
        "30s", "--seed", "11", "--fault-length", "4s", "--quiet", "3s", "--report", report.toString(),
        "--manifests", "../../k8s/base", "--dir", dir.resolve("cluster").toString());
    System.out.println(r.out());
    assertEquals(0, r.exitCode(), r.toString());
    final JsonNode result = new ObjectMapper().readTree(report.resolve("result.json").toFile());
    assertEquals("namespaces", result.path("network").asText(), result.toString());
    assertEquals("run", result.path("networkFaults").asText(), result.toString());
    final Set<String> seen = new HashSet<>();
    for (JsonNode f : result.path("faults")) {
      seen.add(f.path("name").asText());
      assertTrue(f.path("effective").asBoolean(), "fault without effect: " + f);
      // Evidence from inside the namespaces: some member could not reach another while it held.
      assertTrue(f.at("/start/unreachableFromEachPod").toString().contains("berth-"), f.toString());
      assertTrue(f.path("healthAfter").path("healthy").asBoolean(), "not healthy after: " + f);
    }
    assertEquals(Set.of("partition-leader", "partition-bridge"), seen);
    assertFalse(result.path("failoverMillis").isEmpty(), "the isolated leader's failover was measured: " + result);
    assertTrue(result.at("/replicas/match").asBoolean(), result.path("replicas").toString());
    assertEquals("valid", result.at("/check/set/verdict").asText(), result.path("check").toString());
  }
}
