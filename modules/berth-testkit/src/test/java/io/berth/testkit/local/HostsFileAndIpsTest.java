package io.berth.testkit.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileAndIpsTest {
  @Test
  void hostsFileHoldsExactlyThePodsThatHaveAnIp(@TempDir Path dir) throws IOException {
    final HostsFile hosts = new HostsFile(dir.resolve("hosts"), "berth-peers", "team-a", "cluster.local");
    hosts.write(Map.of("berth-0", "127.9.8.10", "berth-1", "127.9.8.11"));
    final List<String> lines = Files.readAllLines(dir.resolve("hosts"));
    assertTrue(lines.contains("127.9.8.10 berth-0.berth-peers.team-a.svc.cluster.local "
        + "berth-0.berth-peers.team-a.svc berth-0.berth-peers.team-a berth-0.berth-peers"), lines.toString());
    assertEquals("berth-1.berth-peers.team-a.svc.cluster.local", hosts.fqdn("berth-1"));

    // berth-1 is rescheduled: its record goes while it has no IP and comes back with the new one.
    hosts.write(Map.of("berth-0", "127.9.8.10"));
    assertFalse(Files.readString(dir.resolve("hosts")).contains("berth-1."));
    hosts.write(Map.of("berth-0", "127.9.8.10", "berth-1", "127.9.8.12"));
    final String text = Files.readString(dir.resolve("hosts"));
    assertTrue(text.contains("127.9.8.12 berth-1.berth-peers.team-a.svc.cluster.local"), text);
    assertFalse(text.contains("127.9.8.11"), text);
  }

  @Test
  void everyAllocationIsANewAddressAndTakenOnesAreSkipped() throws IOException {
    final LoopbackIps ips = LoopbackIps.random();
    final Set<String> seen = new HashSet<>();
    final int port;
    final String first = ips.allocate(List.of());
    seen.add(first);
    // Occupy the port on the next address: the allocator must pass it by.
    final String taken = ips.prefix() + ips.next();
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(taken), 0));
      port = s.getLocalPort();
      final String second = ips.allocate(List.of(port));
      assertNotEquals(taken, second);
      seen.add(second);
    }
    for (int i = 0; i < 20; i++) {
      assertTrue(seen.add(ips.allocate(List.of(port))), "an address was handed out twice");
    }
    assertTrue(first.startsWith("127.") && !first.startsWith("127.0.0."), first);
  }

  @Test
  void orphansAreOnlyProcessesStartedForThisDirectory(@TempDir Path dir) throws Exception {
    final Process foreign = new ProcessBuilder("sleep", "30").start();
    try {
      Files.writeString(dir.resolve("state.json"), "{\"pods\":[{\"name\":\"berth-0\",\"pid\":" + foreign.pid()
          + "},{\"name\":\"berth-1\",\"pid\":" + ProcessHandle.current().pid() + "}]}");
      // Neither process carries this directory's marker: a reused PID is never killed.
      assertTrue(Orphans.find(dir).isEmpty());
      assertEquals(0, Orphans.kill(dir));
      assertTrue(foreign.isAlive());
    } finally {
      foreign.destroyForcibly();
    }
  }

  @Test
  void orphansOfThisDirectoryAreFoundAndKilled(@TempDir Path dir) throws Exception {
    final Path abs = dir.toAbsolutePath().normalize();
    final Process orphan = new ProcessBuilder("bash", "-c", "sleep 60; true", "-Dberth.local.dir=" + abs, "pad")
        .start();
    try {
      Files.writeString(dir.resolve("state.json"), "{\"pods\":[{\"name\":\"berth-0\",\"pid\":" + orphan.pid()
          + "}]}");
      assertEquals(List.of(orphan.pid()), Orphans.find(dir).stream().map(ProcessHandle::pid).toList());
      assertEquals(1, Orphans.kill(dir));
      assertFalse(orphan.isAlive());
    } finally {
      orphan.destroyForcibly();
    }
  }
}
