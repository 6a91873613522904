package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness has teeth: members that answer linearizable reads from their local, possibly lagging state
 * ({@link io.berth.cli.planted.StaleReadMember}, test code only) must be caught on every run, and the same run on
 * the real members must pass.
 */
class PlantedStaleReadTest {
  private static final Duration RUN = Duration.ofSeconds(20);

  @Test
  void staleReadsFromALaggingMemberAreCaught(@TempDir Path dir) throws Exception {
    final Map<String, Object> r = ChaosRuns.run(dir, "io.berth.cli.planted.StaleReadMember", "restart", RUN, true,
        false);
    assertEquals("invalid", r.get("verdict"), r.toString());
    final JsonNode check = (JsonNode) r.get("check");
    assertEquals("invalid", check.at("/linearizability/verdict").asText(), check.toString());
    // The operation blamed is a read: the writes themselves were applied correctly.
    assertEquals("read", check.at("/linearizability/violation/operation/f").asText(), check.toString());
  }

  @Test
  void theSameRunOnRealMembersIsValid(@TempDir Path dir) throws Exception {
    final Map<String, Object> r = ChaosRuns.run(dir, "io.berth.cli.Main", "restart", RUN, true, false);
    assertEquals("valid", r.get("verdict"), new ObjectMapper().writeValueAsString(r));
  }
}
