package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import io.berth.client.MemberStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the leader's {@code berth server} process: it hands leadership over, then exits 0. */
class SigtermHandoffTest {

  @Test
  void sigtermOnLeaderHandsLeadershipOverAndExitsCleanly(@TempDir Path dir) throws Exception {
    try (ServerProcesses servers = new ServerProcesses(dir, 3)) {
      servers.startAll();
      try (BerthClient c = BerthClient.builder().endpoints(servers.endpoints())
          .requestTimeout(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(60)).build()) {
        c.put("before", "1");
        ClusterStatus status = c.status();
        String leader = status.leader().orElseThrow();
        int index = Integer.parseInt(leader.substring("berth-".length()));

        Process process = servers.process(index);
        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the member exits after SIGTERM");
        assertEquals(0, process.exitValue(), "a graceful stop exits 0");
        String log = servers.logText(index);
        assertTrue(log.contains("Leadership handed to berth-"), log);

        c.put("after", "2");
        ClusterStatus after = c.status();
        assertNotEquals(leader, after.leader().orElseThrow());
        assertTrue(log.contains("Leadership handed to " + after.leader().orElseThrow()), log);
        assertEquals("1", c.get("before").valueUtf8().orElseThrow(), "data written before the handoff is still there");
        MemberStatus stopped = after.members().stream().filter(m -> m.name().equals(leader)).findFirst().orElseThrow();
        assertTrue(!stopped.healthy(), "the stopped member is reported unhealthy");
      }
    }
  }
}
