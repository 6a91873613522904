package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.Consistency;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.PodStatus;
import io.berth.testkit.local.StatefulSetSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator runs the project's own StatefulSet (k8s/base) as real member processes and keeps the
 * StatefulSet guarantees: stable names, per-pod IPs and DNS, volumes that outlive pods, restart in place.
 */
class LocalStatefulSetTest {
  private static final Duration READY = Duration.ofSeconds(120);

  @Test
  void podsRunAsTheManifestSaysAndKeepNameAndVolumeAcrossRescheduling(@TempDir Path dir) throws Exception {
    final StatefulSetSpec spec = Manifests.fromDirectory(Path.of("../../k8s/base"));
    final List<Long> pids = new ArrayList<>();
    try (LocalStatefulSet sts = LocalStatefulSet.builder(dir, spec).build()) {
      sts.up(READY);
      final List<PodStatus> pods = sts.status();
      assertEquals(List.of("berth-0", "berth-1", "berth-2"), pods.stream().map(PodStatus::name).toList());
      assertEquals(3, new HashSet<>(pods.stream().map(PodStatus::ip).toList()).size(), pods.toString());
      await("a leader", () -> sts.leader().isPresent());
      final String hosts = Files.readString(sts.hostsFile());
      for (PodStatus pod : pods) {
        pids.add(pod.pid());
        assertTrue(pod.ip().startsWith("127.") && !pod.ip().startsWith("127.0.0."), pod.ip());
        assertTrue(hosts.contains(pod.ip() + " " + pod.name() + ".berth-peers.default.svc.cluster.local"), hosts);
        // What the kubelet would hand the container: downward API, the manifest's env, its volume as --data-dir.
        final Map<String, String> env = environ(pod.pid());
        assertEquals(pod.name(), env.get("POD_NAME"));
        assertEquals("default", env.get("POD_NAMESPACE"));
        assertEquals("3", env.get("BERTH_REPLICAS"));
        assertEquals("berth-peers", env.get("BERTH_SERVICE"));
        assertEquals(pod.ip(), env.get("BERTH_BIND_ADDRESS"));
        assertEquals(dir.resolve("volumes").resolve("data-" + pod.name()).toAbsolutePath().toString(), pod.volume());
        assertTrue(cmdline(pod.pid()).contains("--data-dir " + pod.volume() + " "), cmdline(pod.pid()));
        assertTrue(Files.isDirectory(Path.of(pod.volume(), "raft")), "the member keeps its log on its volume");
      }
      // A pod listens on its own IP only, like a pod in its own network namespace.
      final String prefix = pods.get(0).ip().substring(0, pods.get(0).ip().lastIndexOf('.') + 1);
      assertThrows(ConnectException.class, () -> connect(prefix + "251", sts.clientPort()));

      try (BerthClient client = BerthClient.builder().endpoints(sts.endpoints()).build()) {
        client.put("survives", "rescheduling");

        // Crash: restart policy Always restarts the container in the same pod, same IP.
        final PodStatus before = sts.pod("berth-0");
        sts.kill("berth-0", true);
        await("berth-0 restarted and Ready",
            () -> sts.pod("berth-0").ready() && sts.pod("berth-0").pid() != before.pid());
        assertEquals(before.ip(), sts.pod("berth-0").ip());
        assertEquals(1, sts.pod("berth-0").restarts());

        // Reschedule: same name and volume, a new IP, DNS follows, the data is on the volume.
        final PodStatus old = sts.pod("berth-2");
        final PodStatus moved = sts.deletePod("berth-2", Optional.empty());
        assertEquals(old.name(), moved.name());
        assertEquals(old.volume(), moved.volume());
        assertNotEquals(old.ip(), moved.ip());
        final String after = Files.readString(sts.hostsFile());
        assertTrue(after.contains(moved.ip() + " berth-2.berth-peers.default.svc.cluster.local"), after);
        assertFalse(after.contains(old.ip() + " "), after);
        sts.awaitReady(READY);
        try (BerthClient direct = BerthClient.builder().endpoints(moved.ip() + ":" + sts.clientPort()).build()) {
          assertEquals(Optional.of("rescheduling"), direct.get("survives", Consistency.SERIALIZABLE).valueUtf8());
        }

        // SIGSTOP: the pod stops answering its probes; SIGCONT brings it back.
        sts.pause("berth-1");
        await("berth-1 not Ready while paused", () -> !sts.pod("berth-1").ready());
        assertTrue(sts.pod("berth-1").paused());
        sts.resume("berth-1");
        await("berth-1 Ready again", () -> sts.pod("berth-1").ready());
        sts.status().forEach(p -> pids.add(p.pid()));
      }
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
    }
  }

  private static void connect(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + READY.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static Map<String, String> environ(long pid) throws IOException {
    final Map<String, String> env = new HashMap<>();
    final String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
        StandardCharsets.UTF_8);
    for (String entry : raw.split("\0")) {
      final int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  private static String cmdline(long pid) throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
        .replace('\0', ' ');
  }
}
