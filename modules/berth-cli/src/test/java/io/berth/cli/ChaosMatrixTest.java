package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testkit.chaos.Nemesis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long chaos matrix, run by {@code -Pchaos} only: every fault family on its own, with both workloads, for
 * {@code -Dberth.chaos.duration} (default 10m) each; {@code -Dberth.chaos.nemesis=a,b} picks families. Reports
 * stay in {@code target/chaos-matrix/<family>/}. Every run must be valid and every fault must have taken effect.
 */
class ChaosMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> families() {
    final String chosen = System.getProperty("berth.chaos.nemesis", "");
    return chosen.isBlank() ? Nemesis.known().stream() : Stream.of(chosen.split(",")).map(String::strip);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("families")
  @SuppressWarnings("unchecked")
  void familyLosesNothing(String family, @TempDir Path cluster) throws Exception {
    final Duration duration = new DurationConverter().convert(System.getProperty("berth.chaos.duration", "10m"));
    final Path report = Path.of("target", "chaos-matrix", family);
    final Map<String, Object> r = ChaosRuns.run(cluster, report, "io.berth.cli.Main", family, duration, true, true);
    System.out.println("MATRIX " + family + ": " + r.get("verdict") + " counts " + r.get("counts") + " ops/s "
        + r.get("opsPerSec") + " failover " + r.get("failoverMillis") + " longest unavailability "
        + r.get("longestUnavailabilityMillis") + " ms");
    assertEquals("valid", r.get("verdict"), JSON.writeValueAsString(r));
    final List<Map<String, Object>> faults = (List<Map<String, Object>>) r.get("faults");
    assertFalse(faults.isEmpty(), "no fault was injected in " + duration);
    faults.forEach(f -> assertTrue(Boolean.TRUE.equals(f.get("effective")), "fault without effect: " + f));
  }
}
