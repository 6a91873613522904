package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth chaos check}: its exit codes and what it prints. */
class ChaosCheckCommandTest {
  @TempDir Path dir;

  private static String event(int process, String type, String f, String key, String value, long time) {
    return "{\"process\":" + process + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key
        + "\",\"value\":" + value + ",\"time\":" + time + "}";
  }

  private Path file(String... lines) throws Exception {
    final Path f = dir.resolve("history-" + System.nanoTime() + ".jsonl");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void linearizableHistoryExitsZero() throws Exception {
    final Path f = file(
        event(1, "invoke", "write", "k1", "1", 0), event(1, "ok", "write", "k1", "1", 10),
        event(2, "invoke", "read", "k1", "null", 20), event(2, "ok", "read", "k1", "1", 30),
        event(3, "invoke", "add", "", "5", 31), event(3, "ok", "add", "", "5", 32),
        event(3, "invoke", "read-all", "", "null", 40), event(3, "ok", "read-all", "", "[5]", 50));
    final Cli.Result r = Cli.run("chaos", "check", "--history", f.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("RESULT: valid"), r.out());
  }

  @Test
  void staleReadExitsOneAndNamesTheRead() throws Exception {
    final Path f = file(
        event(1, "invoke", "write", "k1", "1", 0), event(1, "ok", "write", "k1", "1", 10),
        event(1, "invoke", "write", "k1", "2", 20), event(1, "ok", "write", "k1", "2", 30),
        event(2, "invoke", "read", "k1", "null", 40), event(2, "ok", "read", "k1", "1", 50));
    final Cli.Result r = Cli.run("chaos", "check", "--history", f.toString());
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.out().contains("cannot linearize process 2 read k1 -> 1"), r.out());

    final Cli.Result json = Cli.run("chaos", "check", "--history", f.toString(), "-o", "json");
    assertEquals(1, json.exitCode(), json.toString());
    final JsonNode n = new ObjectMapper().readTree(json.out());
    assertEquals(false, n.path("valid").asBoolean(true));
    assertEquals("read", n.at("/linearizability/violation/operation/f").asText());
    assertEquals(5, n.at("/linearizability/violation/operation/event").asInt());
    assertEquals(2, n.at("/linearizability/violation/prefix").size());
  }

  @Test
  void malformedFileExitsTwoWithItsLineNumber() throws Exception {
    final Path garbage = file(event(1, "invoke", "write", "k1", "1", 0), "", "{not json");
    final Cli.Result r = Cli.run("chaos", "check", "--history", garbage.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains(garbage + ":3: "), r.err());

    final Path orphan = file(event(1, "invoke", "write", "k1", "1", 0), "",
        event(2, "ok", "write", "k1", "1", 10));
    final Cli.Result o = Cli.run("chaos", "check", "--history", orphan.toString());
    assertEquals(2, o.exitCode(), o.toString());
    assertTrue(o.err().contains(orphan + ":3: process 2 completes write"), o.err());

    assertEquals(2, Cli.run("chaos", "check", "--history", dir.resolve("missing").toString()).exitCode());
    assertEquals(2, Cli.run("chaos", "check").exitCode());
  }

  @Test
  void historyTooHardForTheTimeLimitExitsFourNeverZero() throws Exception {
    final List<String> lines = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (int p = 0; p < 40; p++) {
        lines.add(event(p, "invoke", "write", "x", Integer.toString(round * 100 + p), round * 2000));
      }
      for (int p = 0; p < 40; p++) {
        lines.add(event(p, "ok", "write", "x", Integer.toString(round * 100 + p), round * 2000 + 1000));
      }
    }
    lines.add(event(99, "invoke", "read", "x", "null", 5000));
    lines.add(event(99, "ok", "read", "x", "7", 5010));
    final Path f = file(lines.toArray(String[]::new));
    final Cli.Result r = Cli.run("chaos", "check", "--history", f.toString(), "--time-limit", "300ms");
    assertEquals(4, r.exitCode(), r.toString());
    assertTrue(r.out().contains("UNKNOWN"), r.out());
  }
}
