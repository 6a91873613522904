package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo scenario, end to end, as CI runs it: every guarantee must hold and the report must say so. */
class DemoCommandTest {
  @Test
  void demoProvesFailoverAndReschedulingAndReportsIt(@TempDir Path dir) throws Exception {
    final Path report = dir.resolve("report.json");
    final Cli.Result r = Cli.run("demo", "--keys", "200", "--manifests", "../../k8s/base", "--dir",
        dir.resolve("cluster").toString(), "--report", report.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("RESULT: every guarantee held"), r.out());
    final JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertTrue(json.path("ok").asBoolean(), json.toString());
    assertEquals(200, json.path("keysWritten").asInt());
    assertEquals(200, json.path("keysVerified").asInt());
    assertTrue(json.path("failoverMillis").asLong() > 0, json.toString());
    assertTrue(json.path("peerReconnectMillis").asLong() >= 0, json.toString());
    assertNotEquals(json.path("ipBefore").asText(), json.path("ipAfter").asText());
    assertTrue(json.path("leaderBefore").asText().startsWith("berth-"), json.toString());
    assertTrue(json.path("rescheduledPod").asText().startsWith("berth-"), json.toString());
    // Nothing is left running: every pod of the demo was stopped.
    final String state = Files.readString(dir.resolve("cluster").resolve("state.json"));
    assertTrue(new ObjectMapper().readTree(state).path("pods").isEmpty(), state);
  }
}
