package io.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.server.raft.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the figures the README and the release notes quote, with the production Raft settings. These are
 * measurements, not assertions about time: they print and never fail on a slow machine. Not part of the default
 * build (the class name does not match Surefire's test patterns); run with
 * {@code ./mvnw -pl modules/berth-server -am test -Dtest=RaftTimingMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the {@code MEASURE} lines in {@code target/surefire-reports/*RaftTimingMeasurement-output.txt}.
 */
class RaftTimingMeasurement {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  /** Production settings, or the election timeout given as {@code -Delection=MIN_MS:MAX_MS}. */
  private static RaftSettings settings() {
    final String[] e = System.getProperty("election", "1000:2000").split(":");
    return RaftSettings.defaults().withElectionTimeout(Duration.ofMillis(Long.parseLong(e[0])),
        Duration.ofMillis(Long.parseLong(e[1])));
  }

  @Test
  void leaderCrashFailover() throws Exception {
    final int trials = Integer.getInteger("trials", 7);
    final List<Long> failovers = new ArrayList<>();
    try (LocalRaftCluster cluster = new LocalRaftCluster(dir, 3, settings()).startAll()) {
      for (int t = 0; t < trials; t++) {
        int leader = cluster.awaitLeader(WAIT);
        int writer = (leader + 1) % 3;
        cluster.put(writer, "warm", "x" + t);
        long crashed = System.nanoTime();
        // Stopping a member in this JVM takes a while (a kill -9 does not): crash it on the side and start
        // writing at once, so the figure is from the moment it stopped heartbeating.
        final int victim = leader;
        CompletableFuture<Void> crash = CompletableFuture.runAsync(() -> {
          try {
            cluster.crash(victim);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        // First write acknowledged under the new leader, retried through a surviving member.
        while (true) {
          try {
            cluster.member(writer).raft().submit(LocalRaftCluster.putCommand("after-" + t, "v"))
                .get(30, TimeUnit.SECONDS);
            break;
          } catch (Exception e) {
            LocalRaftCluster.sleep(10);
          }
        }
        long ms = (System.nanoTime() - crashed) / 1_000_000;
        failovers.add(ms);
        System.out.printf("MEASURE failover trial %d: %d ms%n", t + 1, ms);
        crash.get(60, TimeUnit.SECONDS);
        cluster.start(leader);
        cluster.awaitLeader(WAIT);
      }
    }
    Collections.sort(failovers);
    System.out.printf("MEASURE leader-crash failover over %d trials: median %d ms, max %d ms, all %s%n",
        failovers.size(), failovers.get(failovers.size() / 2), failovers.get(failovers.size() - 1), failovers);
  }

  @Test
  void gracefulHandoffUnavailability() throws Exception {
    final int trials = Integer.getInteger("trials", 5);
    try (LocalRaftCluster cluster = new LocalRaftCluster(dir, 3, settings()).startAll()) {
      for (int t = 0; t < trials; t++) {
        int leader = cluster.awaitLeader(WAIT);
        int writer = (leader + 1) % 3;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastAck = new AtomicLong(System.nanoTime());
        AtomicLong longestGap = new AtomicLong();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
          for (int n = 0; !stop.get(); n++) {
            try {
              cluster.member(writer).raft().submit(LocalRaftCluster.putCommand("h" + n, "v")).get(30, TimeUnit.SECONDS);
              long now = System.nanoTime();
              longestGap.accumulateAndGet(now - lastAck.getAndSet(now), Math::max);
            } catch (Exception e) {
              // counted as part of the gap
            }
          }
        });
        LocalRaftCluster.sleep(1000);
        longestGap.set(0);
        long start = System.nanoTime();
        String next = cluster.member(leader).raft().transferLeadership(Duration.ofSeconds(10)).orElse("none");
        long transferMs = (System.nanoTime() - start) / 1_000_000;
        LocalRaftCluster.sleep(1500);
        stop.set(true);
        load.get(60, TimeUnit.SECONDS);
        System.out.printf("MEASURE handoff trial %d: %s -> %s, transfer call %d ms, longest write gap %d ms%n",
            t + 1, cluster.name(leader), next, transferMs, longestGap.get() / 1_000_000);
      }
    }
  }

  @Test
  void restartCatchUpWith100kKeys() throws Exception {
    final int keys = Integer.getInteger("keys", 100_000);
    try (LocalRaftCluster cluster = new LocalRaftCluster(dir, 3, settings()).startAll()) {
      int leader = cluster.awaitLeader(WAIT);
      int lagging = (leader + 1) % 3;
      cluster.crash(lagging);
      long termBefore = cluster.member(leader).raft().term();
      long t0 = System.nanoTime();
      Semaphore inFlight = new Semaphore(64);
      AtomicLong lastIndex = new AtomicLong();
      for (int n = 0; n < keys; n++) {
        inFlight.acquire();
        cluster.member(leader).raft().submit(LocalRaftCluster.putCommand(String.format("key-%07d", n), "value-" + n))
            .whenComplete((CommandResult r, Throwable e) -> {
              if (r != null) {
                lastIndex.accumulateAndGet(r.getAppliedIndex(), Math::max);
              }
              inFlight.release();
            });
      }
      inFlight.acquire(64);
      long loadMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("MEASURE loaded %d keys in %d ms (%.0f writes/s, 64 in flight, 2 of 3 members up); "
          + "elections during the load: %d%n", keys, loadMs, keys * 1000.0 / loadMs,
          cluster.member(leader).raft().term() - termBefore);

      long restart = System.nanoTime();
      cluster.start(lagging);
      cluster.awaitApplied(lastIndex.get(), WAIT);
      long catchUpMs = (System.nanoTime() - restart) / 1_000_000;
      assertEquals(keys, cluster.member(lagging).raft().stateMachine().applied().revision());
      System.out.printf("MEASURE restart catch-up of %d keys: %d ms from start to applied index %d; "
          + "elections during catch-up: %d%n", keys, catchUpMs, lastIndex.get(),
          cluster.member(leader).raft().term() - termBefore);
    }
  }
}
