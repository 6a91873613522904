package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.testkit.local.LocalControllerClient;
import io.berth.testkit.local.Orphans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate {@code berth local} invocations drive one running cluster through its controller process. */
class LocalCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void separateInvocationsWorkOnOneClusterAndDownLeavesNothingRunning(@TempDir Path tmp) throws Exception {
    final String dir = tmp.resolve("local").toString();
    final List<Long> pids = new ArrayList<>();
    long controllerPid = 0;
    try {
      final Cli.Result up = Cli.run("local", "up", "--dir", dir, "--manifests", "../../k8s/base", "--timeout", "120s");
      assertEquals(0, up.exitCode(), up.toString());
      assertTrue(up.out().contains("pod/berth-2: Ready"), up.out());
      controllerPid = LocalControllerClient.find(Path.of(dir)).orElseThrow().pid();

      final Cli.Result again = Cli.run("local", "up", "--dir", dir);
      assertEquals(1, again.exitCode(), again.toString());
      assertTrue(again.err().contains("already up"), again.err());

      LocalStatefulSetTest.await("every pod reports its role", () -> status(dir).findValues("role").stream()
          .noneMatch(r -> r.asText().isEmpty()));
      final JsonNode status = status(dir);
      assertEquals(3, status.path("pods").size());
      for (JsonNode pod : status.path("pods")) {
        pids.add(pod.path("pid").asLong());
        assertTrue(pod.path("ready").asBoolean(), pod.toString());
        assertTrue(pod.path("ip").asText().startsWith("127."), pod.toString());
        assertTrue(pod.path("volume").asText().endsWith("data-" + pod.path("name").asText()), pod.toString());
      }
      assertEquals(1, status.findValues("role").stream().filter(r -> r.asText().equals("LEADER")).count(),
          status.toString());

      final String endpoints = Cli.run("local", "endpoints", "--dir", dir).out().trim();
      assertEquals(0, Cli.run("--endpoints", endpoints, "put", "k", "v").exitCode());

      final String ipBefore = pod(status(dir), "berth-2").path("ip").asText();
      final Cli.Result delete = Cli.run("local", "delete", "berth-2", "--dir", dir, "-o", "json");
      assertEquals(0, delete.exitCode(), delete.toString());
      final JsonNode moved = pod(JSON.readTree(delete.out()), "berth-2");
      assertNotEquals(ipBefore, moved.path("ip").asText());
      pids.add(moved.path("pid").asLong());

      final Cli.Result kill = Cli.run("local", "kill", "berth-1", "--dir", dir);
      assertEquals(0, kill.exitCode(), kill.toString());
      LocalStatefulSetTest.await("berth-1 restarted", () -> pod(status(dir), "berth-1").path("restarts").asInt() == 1
          && pod(status(dir), "berth-1").path("ready").asBoolean());
      pids.add(pod(status(dir), "berth-1").path("pid").asLong());

      final Cli.Result unknown = Cli.run("local", "kill", "berth-9", "--dir", dir);
      assertEquals(1, unknown.exitCode(), unknown.toString());
      assertTrue(unknown.err().contains("no pod berth-9"), unknown.err());

      final Cli.Result get = Cli.run("--endpoints", endpoints.replace(ipBefore, moved.path("ip").asText()), "get", "k");
      assertEquals("v", get.out().trim(), get.toString());

      final Cli.Result down = Cli.run("local", "down", "--dir", dir);
      assertEquals(0, down.exitCode(), down.toString());
      assertTrue(LocalControllerClient.find(Path.of(dir)).isEmpty());
      assertEquals(1, Cli.run("local", "status", "--dir", dir).exitCode());
      for (long pid : pids) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
      }
      final long controller = controllerPid;
      assertFalse(ProcessHandle.of(controller).map(ProcessHandle::isAlive).orElse(false));
    } finally {
      // Whatever failed above, leave nothing running.
      Cli.run("local", "down", "--dir", dir);
      Orphans.kill(Path.of(dir));
      if (controllerPid > 0) {
        ProcessHandle.of(controllerPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static JsonNode status(String dir) {
    final Cli.Result r = Cli.run("local", "status", "--dir", dir, "-o", "json");
    assertEquals(0, r.exitCode(), r.toString());
    try {
      return JSON.readTree(r.out());
    } catch (Exception e) {
      throw new AssertionError("status -o json is not JSON: " + r.out(), e);
    }
  }

  private static JsonNode pod(JsonNode view, String name) {
    for (JsonNode p : view.path("pods")) {
      if (p.path("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no pod " + name + " in " + view);
  }
}
