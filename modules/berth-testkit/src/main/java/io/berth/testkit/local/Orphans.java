package io.berth.testkit.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pod processes left running under a directory whose controller is gone (it was killed, or the machine's
 * session ended oddly). A PID from {@code state.json} counts only while its command line still carries this
 * directory's marker ({@code -Dberth.local.dir=<dir>}), so a reused PID is never touched.
 */
public final class Orphans {
  private Orphans() {}

  /** The still-running pod processes started for {@code dir}. */
  public static List<ProcessHandle> find(Path dir) {
    final Path abs = dir.toAbsolutePath().normalize();
    final Path state = abs.resolve("state.json");
    final List<ProcessHandle> out = new ArrayList<>();
    if (!Files.isRegularFile(state)) {
      return out;
    }
    try {
      final JsonNode pods = new ObjectMapper().readTree(state.toFile()).path("pods");
      for (JsonNode pod : pods) {
        final long pid = pod.path("pid").asLong();
        if (pid > 0 && startedFor(pid, abs)) {
          ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * SIGKILLs the orphans of {@code dir} and removes the network namespaces and bridge its network left behind;
   * returns how many processes there were.
   */
  public static int kill(Path dir) {
    final List<ProcessHandle> orphans = find(dir);
    removeNetwork(dir);
    for (ProcessHandle p : orphans) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : orphans) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by the caller's next status.
      }
    }
    return orphans.size();
  }

  private static void removeNetwork(Path dir) {
    final Path state = dir.toAbsolutePath().normalize().resolve("state.json");
    try {
      final JsonNode network = new ObjectMapper().readTree(state.toFile()).path("network");
      if ("namespaces".equals(network.path("mode").asText()) && network.path("id").asText().matches("[0-9a-f]{4}")) {
        NamespaceNetwork.cleanUp(network.path("id").asText());
      }
    } catch (IOException e) {
      // No state: nothing known to remove.
    }
  }

  private static boolean startedFor(long pid, Path dir) {
    try {
      final String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
      return cmdline.contains("-Dberth.local.dir=" + dir + " ");
    } catch (IOException e) {
      return false;
    }
  }
}
