package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos smoke that runs in every build: {@code berth chaos run} with a leader kill, a leader pause and a
 * reschedule for under a minute of traffic. The history must be valid, and every fault must really have happened.
 */
class ChaosSmokeTest {
  @Test
  void leaderKillPauseAndRescheduleLoseNothing(@TempDir Path dir) throws Exception {
    final Path report = dir.resolve("report");
    final Cli.Result r = Cli.run("chaos", "run", "--nemesis", "kill-leader,pause-leader,reschedule", "--duration",
        "40s", "--seed", "7", "--fault-length", "3s", "--quiet", "3s", "--report", report.toString(),
        "--manifests", "../../k8s/base", "--dir", dir.resolve("cluster").toString());
    // The run's narration and figures go to the test's output file (target/surefire-reports/*-output.txt).
    System.out.println(r.out());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("RESULT: valid"), r.out());

    final JsonNode result = new ObjectMapper().readTree(report.resolve("result.json").toFile());
    assertTrue(result.path("valid").asBoolean(), result.toString());
    final Set<String> seen = new HashSet<>();
    for (JsonNode f : result.path("faults")) {
      seen.add(f.path("name").asText());
      assertTrue(f.path("effective").asBoolean(), "fault without effect: " + f);
      assertTrue(f.path("healthAfter").path("healthy").asBoolean(), "not healthy after: " + f);
    }
    assertEquals(Set.of("kill-leader", "pause-leader", "reschedule"), seen, result.path("faults").toString());
    for (JsonNode f : result.path("faults")) {
      if (f.path("name").asText().equals("kill-leader")) {
        final JsonNode victim = f.path("start").path(f.path("start").path("pods").get(0).asText());
        assertEquals("LEADER", victim.path("role").asText(), f.toString());
        assertEquals("gone", victim.path("processAfterKill").asText(), f.toString());
      }
      if (f.path("name").asText().equals("pause-leader")) {
        final JsonNode victim = f.path("start").path(f.path("start").path("pods").get(0).asText());
        assertEquals("T", victim.path("processState").asText(), f.toString());
      }
      if (f.path("name").asText().equals("reschedule")) {
        assertTrue(!f.at("/start/ipBefore").asText().equals(f.at("/start/ipAfter").asText()), f.toString());
      }
    }
    assertTrue(result.at("/counts/ok/write").asInt() > 0 && result.at("/counts/ok/read").asInt() > 0, result.toString());
    assertTrue(result.at("/replicas/match").asBoolean(), result.path("replicas").toString());
    assertEquals("valid", result.at("/check/set/verdict").asText(), result.path("check").toString());
    assertTrue(Files.readString(report.resolve("report.html")).contains("<svg"));
    // The recorded history checks again, the same way, from the command line.
    assertEquals(0, Cli.run("chaos", "check", "--history", report.resolve("history.jsonl").toString()).exitCode());
    // Every pod was stopped.
    final String state = Files.readString(dir.resolve("cluster").resolve("state.json"));
    assertTrue(new ObjectMapper().readTree(state).path("pods").isEmpty(), state);
  }

  @Test
  void unknownNemesisIsAUsageErrorListingTheKnownOnes(@TempDir Path dir) {
    final Cli.Result r = Cli.run("chaos", "run", "--nemesis", "kill-leader,partition-sideways", "--report",
        dir.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("unknown nemesis 'partition-sideways'; known: kill-leader, kill-random, "
        + "kill-minority, restart, pause-leader, pause-followers, reschedule, rolling-restart, lose-volume, "
        + "partition-leader, partition-halves, partition-bridge"), r.err());
  }
}
