package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code berth bench} against {@link FakeBerthServer}: the JSON shape, the table, progress on stderr. */
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private FakeBerthServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeBerthServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Cli.Result bench(String... args) {
    final List<String> all = new ArrayList<>(List.of("bench", "--endpoints=" + server.endpoint()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void mixedWorkloadPrefillsThenReportsBothOperationsAsJson() throws Exception {
    final Cli.Result r = bench("--workload", "mixed", "--read-ratio", "0.5", "--keys", "20", "--value-size", "8",
        "--in-flight", "2", "--warmup", "200ms", "--duration", "1s", "-o", "json");
    assertEquals(0, r.exitCode(), r::toString);
    final JsonNode root = JSON.readTree(r.out());
    assertEquals("berth", root.get("protocol").asText());
    assertEquals("mixed", root.get("workload").asText());
    assertEquals(20, root.get("keys").asInt());
    assertEquals(0, root.get("errorCount").asLong(), r.out());
    final JsonNode put = root.get("ops").get("put");
    final JsonNode get = root.get("ops").get("get");
    assertTrue(put.get("count").asLong() > 0 && get.get("count").asLong() > 0, r.out());
    for (String field : List.of("count", "throughput", "p50", "p90", "p99", "p999", "max", "mean")) {
      assertTrue(get.has(field), "get has " + field);
    }
    assertTrue(root.get("throughput").asDouble() > 0);
    assertTrue(r.err().contains("prefill: writing 20 keys of 8 bytes"), r.err());
    assertTrue(r.err().contains("measure"), "progress lines on stderr: " + r.err());
  }

  @Test
  void whenEveryRequestFailsTheFailuresAreCountedByKindAndTheExitCodeIs3() {
    // The fake server takes values of at most 64 bytes: every 256-byte put is rejected.
    final Cli.Result r = bench("--workload", "put", "--in-flight", "1", "--warmup", "100ms", "--duration", "500ms");
    assertEquals(3, r.exitCode(), r::toString);
    assertTrue(r.out().contains("failures: {INVALID_ARGUMENT="), r.out());
    assertTrue(r.err().contains("berth bench: no request succeeded during the measurement ({INVALID_ARGUMENT="),
        r.err());
  }

  @Test
  void tableOutputAndUsageErrors() {
    final Cli.Result r = bench("--workload", "put", "--keys", "5", "--value-size", "16", "--in-flight", "1",
        "--warmup", "100ms", "--duration", "500ms");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("berth put, 1 in flight, 16-byte values, 5 keys"), r.out());
    assertTrue(r.out().contains("OP   COUNT"), r.out());
    assertTrue(r.out().contains("failures: none"), r.out());
    final Cli.Result bad = bench("--in-flight", "0");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertEquals("berth bench: --in-flight must be at least 1, got 0\n", bad.err());
  }
}
