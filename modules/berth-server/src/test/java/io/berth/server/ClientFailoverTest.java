package io.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.BerthException;
import io.berth.client.GetResult;
import io.berth.client.PutResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against three real members while the leader crashes in the middle of a stream of writes:
 * every acknowledged write is readable afterwards, and none is applied twice even though the client retried
 * writes whose outcome it could not know (version counters prove it).
 */
class ClientFailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private LocalRaftCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.fatalErrors);
    }
  }

  @Test
  void leaderCrashMidStreamLosesNoAcknowledgedWriteAndAppliesNoneTwice() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    List<String> endpoints = IntStream.range(0, 3)
        .mapToObj(i -> "127.0.0.1:" + cluster.member(i).clientPort()).toList();

    Map<String, PutResult> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger unknown = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    try (BerthClient client = BerthClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(3)).retryBudget(Duration.ofSeconds(30)).build()) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (int n = 0; !stop.get() && n < 50_000; n++) {
          String key = "stream/" + n;
          try {
            acknowledged.put(key, client.put(key, "v" + n));
          } catch (BerthException e) {
            unknown.incrementAndGet(); // outcome unknown: allowed to be present or absent, never twice
          }
        }
      });
      LocalRaftCluster.await(() -> acknowledged.size() >= 100, WAIT, () -> "100 writes before the crash");
      cluster.crash(leader);
      int before = acknowledged.size();
      LocalRaftCluster.await(() -> acknowledged.size() >= before + 100, WAIT, () -> "100 writes after the crash");
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertNotEquals(leader, cluster.awaitLeader(WAIT));

      for (Map.Entry<String, PutResult> e : acknowledged.entrySet()) {
        GetResult read = client.get(e.getKey());
        assertTrue(read.found(), "acknowledged write " + e.getKey() + " was lost");
        assertEquals(1, read.kv().orElseThrow().version(),
            e.getKey() + " was applied more than once (a retried write must apply at most once)");
        assertEquals(e.getValue().kv().modRevision(), read.kv().orElseThrow().modRevision());
      }
      assertTrue(unknown.get() <= 5, "writes with unknown outcome: " + unknown.get());
    }
  }
}
