package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
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

  @Test
  void leaderKilledAndStopped() throws Exception {
    final int trials = Integer.getInteger("trials", 5);
    try (ServerProcesses servers = new ServerProcesses(dir, 3)) {
      servers.startAll();
      try (BerthClient client = BerthClient.builder().endpoints(servers.endpoints())
          .requestTimeout(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(60)).build()) {
        for (String signal : new String[] {"SIGKILL", "SIGTERM"}) {
          List<Long> figures = new ArrayList<>();
          for (int t = 0; t < trials; t++) {
            client.put("warm", "x");
            ClusterStatus status = client.status();
            int leader = Integer.parseInt(status.leader().orElseThrow().substring("berth-".length()));
            long signalled = System.nanoTime();
            if (signal.equals("SIGKILL")) {
              servers.process(leader).destroyForcibly();
            } else {
              servers.process(leader).destroy();
            }
            client.put("after-" + signal + "-" + t, "v"); // retried by the client until a new leader acknowledges
            long ms = (System.nanoTime() - signalled) / 1_000_000;
            figures.add(ms);
            System.out.printf("MEASURE %s of leader berth-%d: first write acknowledged after %d ms%n", signal, leader, ms);
            servers.process(leader).waitFor(30, TimeUnit.SECONDS);
            servers.start(leader);
            Thread.sleep(3000); // let it rejoin and catch up before the next trial
          }
          Collections.sort(figures);
          System.out.printf("MEASURE %s leader: %d trials, median %d ms, max %d ms, all %s%n", signal,
              figures.size(), figures.get(figures.size() / 2), figures.get(figures.size() - 1), figures);
        }
      }
    }
  }
}
