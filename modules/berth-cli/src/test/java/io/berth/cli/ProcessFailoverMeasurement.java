package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader-crash failover and SIGTERM handoff with real {@code berth server} processes: the leader is killed with
 * SIGKILL (or stopped with SIGTERM) while a client writes; the figure is the time from the signal to the first
 * write acknowledged afterwards. A measurement, not a test: it prints {@code MEASURE} lines and asserts nothing
 * about time. Not part of the default build; run with
 * {@code ./mvnw -pl modules/berth-cli -am test -Dtest=ProcessFailoverMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ProcessFailoverMeasurement {

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();
  private String peers;
  private final List<Integer> clientPorts = new ArrayList<>();

  @Test
  void leaderKilledAndStopped() throws Exception {
    final int trials = Integer.getInteger("trials", 5);
    final List<String> entries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int client = freePort();
      clientPorts.add(client);
      entries.add("berth-" + i + "=127.0.0.1:" + freePort() + ":" + client);
      processes.add(null);
    }
    peers = String.join(",", entries);
    try {
      for (int i = 0; i < 3; i++) {
        start(i);
      }
      List<String> endpoints = clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
      try (BerthClient client = BerthClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(2))
          .retryBudget(Duration.ofSeconds(60)).build()) {
        for (String signal : new String[] {"SIGKILL", "SIGTERM"}) {
          List<Long> figures = new ArrayList<>();
          for (int t = 0; t < trials; t++) {
            client.put("warm", "x");
            ClusterStatus status = client.status();
            int leader = Integer.parseInt(status.leader().orElseThrow().substring("berth-".length()));
            long signalled = System.nanoTime();
            if (signal.equals("SIGKILL")) {
              processes.get(leader).destroyForcibly();
            } else {
              processes.get(leader).destroy();
            }
            client.put("after-" + signal + "-" + t, "v"); // retried by the client until a new leader acknowledges
            long ms = (System.nanoTime() - signalled) / 1_000_000;
            figures.add(ms);
            System.out.printf("MEASURE %s of leader berth-%d: first write acknowledged after %d ms%n", signal, leader, ms);
            processes.get(leader).waitFor(30, TimeUnit.SECONDS);
            start(leader);
            Thread.sleep(3000); // let it rejoin and catch up before the next trial
          }
          Collections.sort(figures);
          System.out.printf("MEASURE %s leader: %d trials, median %d ms, max %d ms, all %s%n", signal,
              figures.size(), figures.get(figures.size() / 2), figures.get(figures.size() - 1), figures);
        }
      }
    } finally {
      for (Process p : processes) {
        if (p != null) {
          p.destroyForcibly();
          p.waitFor(30, TimeUnit.SECONDS);
        }
      }
    }
  }

  private void start(int i) throws IOException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final ProcessBuilder pb = new ProcessBuilder(java, "-Dsun.net.inetaddr.ttl=5",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
        "--name", "berth-" + i, "--data-dir", dir.resolve("b" + i).toString(), "--peers", peers,
        "--bind-address", "127.0.0.1", "--admin-port", "-1")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("b" + i + ".log").toFile());
    pb.environment().remove("BERTH_ENDPOINTS");
    processes.set(i, pb.start());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
