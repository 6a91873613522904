package io.berth.testkit.demo;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import io.berth.client.Consistency;
import io.berth.client.GetResult;
import io.berth.client.MemberStatus;
import io.berth.client.PutResult;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.PodStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed guarantees, shown on a local StatefulSet: start it, write keys, kill the leader and time the
 * failover, reschedule a pod (new IP, same name and volume), read every key back from that pod's own volume,
 * and time until every peer reaches it at its new IP. Narrates to {@code out}; {@link #run} returns what held.
 */
public final class DemoScenario {
  private final LocalStatefulSet cluster;
  private final PrintWriter out;
  private final int keys;
  private final Duration timeout;
  private final boolean progressBar;
  private final long started = System.nanoTime();
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> failures = new ArrayList<>();

  /**
   * @param cluster     a StatefulSet that is not up yet
   * @param keys        how many keys to write
   * @param timeout     how long any one step may take before the demo gives up on it
   * @param progressBar redraw one progress line (a terminal) rather than print every tenth
   */
  public DemoScenario(LocalStatefulSet cluster, PrintWriter out, int keys, Duration timeout, boolean progressBar) {
    if (keys < 1) {
      throw new IllegalArgumentException("--keys must be at least 1: " + keys);
    }
    this.cluster = cluster;
    this.out = out;
    this.keys = keys;
    this.timeout = timeout;
    this.progressBar = progressBar;
  }

  /** Elapsed time since the demo started, for the narration. */
  public String clock() {
    return String.format("%6.1fs", (System.nanoTime() - started) / 1e9);
  }

  /** Runs every step; a step that cannot go on ends the demo with what was learned so far. */
  public DemoReport run() {
    String leaderBefore = "";
    String leaderAfter = "";
    long failoverMillis = -1;
    String rescheduled = "";
    String ipBefore = "";
    String ipAfter = "";
    long reconnectMillis = -1;
    int written = 0;
    int verified = 0;
    try {
      step(1, "Start the StatefulSet (podManagementPolicy " + cluster.spec().policy() + ")");
      final long upStart = System.nanoTime();
      cluster.up(timeout);
      say("all " + cluster.spec().replicas() + " pods Ready after " + millisSince(upStart) + " ms");
      printPods();

      try (BerthClient client = client(cluster.endpoints())) {
        final ClusterStatus first = awaitLeader(client);
        leaderBefore = first.leader().orElseThrow();
        step(2, "Write " + keys + " keys (leader " + leaderBefore + ", term " + first.term() + ")");
        written = writeKeys(client);

        step(3, "Kill the leader " + leaderBefore + " with SIGKILL");
        final long termBefore = client.status().term();
        final PodStatus victim = cluster.pod(leaderBefore);
        final long killAt = System.nanoTime();
        cluster.kill(leaderBefore, true);
        say("killed pid " + victim.pid() + " at " + clock().trim() + "; writing until a new leader acknowledges");
        final PutResult ack = client.put("demo/" + runId + "/after-failover", "acknowledged");
        failoverMillis = millisSince(killAt);
        final ClusterStatus after = awaitLeader(client);
        leaderAfter = after.leader().orElseThrow();
        say("first write acknowledged " + failoverMillis + " ms after the kill, answered by " + ack.member()
            + "; leader now " + leaderAfter + " (term " + termBefore + " -> " + ack.term() + ")");
        if (ack.term() <= termBefore) {
          fail("the write after the kill was acknowledged in the old term " + ack.term()
              + ": no new leader was elected");
        }
        cluster.awaitReady(timeout);
        say(leaderBefore + " was restarted in place by restart policy Always (same IP "
            + cluster.pod(leaderBefore).ip() + ", restarts " + cluster.pod(leaderBefore).restarts() + ")");

        rescheduled = pickFollower(client, leaderAfter);
        step(4, "Delete pod " + rescheduled + " so the StatefulSet reschedules it");
        awaitCaughtUp(client, rescheduled);
        final PodStatus before = cluster.pod(rescheduled);
        ipBefore = before.ip();
        final PodStatus now = cluster.deletePod(rescheduled, Optional.empty());
        final long restartAt = System.nanoTime();
        ipAfter = now.ip();
        say("name " + before.name() + " -> " + now.name() + ", IP " + ipBefore + " -> " + ipAfter
            + ", volume " + before.volume() + " -> " + now.volume());
        if (ipBefore.equals(ipAfter)) {
          fail("the rescheduled pod kept its IP " + ipAfter + ": nothing was proven about stale addresses");
        }
        if (!before.volume().equals(now.volume()) || !before.name().equals(now.name())) {
          fail("the rescheduled pod changed its name or volume");
        }

        // Watch the peers from the moment the pod runs again, while its keys are read back.
        final String pod = rescheduled;
        final CompletableFuture<Reach> reach = CompletableFuture.supplyAsync(() -> awaitPeersReach(client, pod,
            restartAt));

        step(5, "Read every key back from " + rescheduled + "'s own volume (serializable reads at " + ipAfter + ")");
        verified = verifyKeys(ipAfter + ":" + cluster.clientPort());
        if (verified != written) {
          fail("only " + verified + " of " + written + " acknowledged keys were on " + rescheduled + "'s volume");
        }

        step(6, "Every peer reaches " + rescheduled + " at its new IP " + ipAfter);
        final Reach r = reach.join();
        r.lines().forEach(this::say);
        reconnectMillis = r.millis();
        if (reconnectMillis < 0) {
          fail("not every peer reached " + rescheduled + " at " + ipAfter + " within " + timeout.toSeconds() + " s");
        } else {
          say("every peer reaches " + rescheduled + " at " + ipAfter + " " + reconnectMillis
              + " ms after its container started");
        }
      }
    } catch (RuntimeException e) {
      fail("the demo could not go on: " + e.getMessage());
    }
    return new DemoReport(failures.isEmpty(), leaderBefore, leaderAfter, failoverMillis, rescheduled, ipBefore,
        ipAfter, reconnectMillis, written, verified, millisSince(started), List.copyOf(failures));
  }

  private int writeKeys(BerthClient client) {
    final AtomicInteger done = new AtomicInteger();
    final long t0 = System.nanoTime();
    final int threads = 8;
    final ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      final List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int slice = t;
        futures.add(pool.submit(() -> {
          for (int i = slice; i < keys; i += threads) {
            client.put(key(i), value(i));
            progress(done.incrementAndGet(), t0);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("writing keys failed after " + done.get() + ": " + rootMessage(e), e);
    } finally {
      pool.shutdownNow();
    }
    if (progressBar) {
      out.println();
    }
    say(keys + " keys acknowledged in " + millisSince(t0) + " ms");
    return done.get();
  }

  private void progress(int n, long t0) {
    synchronized (out) {
      final double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
      if (progressBar) {
        final int width = 30;
        final int filled = (int) ((long) n * width / keys);
        out.printf("\r   [%s%s] %d/%d keys, %.0f/s", "#".repeat(filled), ".".repeat(width - filled), n, keys,
            n / secs);
        out.flush();
      } else if (n == keys || n % Math.max(1, keys / 10) == 0) {
        say(String.format("%d/%d keys (%d%%), %.0f/s", n, keys, n * 100L / keys, n / secs));
      }
    }
  }

  private int verifyKeys(String endpoint) {
    int ok = 0;
    try (BerthClient direct = client(List.of(endpoint))) {
      for (int i = 0; i < keys; i++) {
        final GetResult r = direct.get(key(i), Consistency.SERIALIZABLE);
        if (r.valueUtf8().filter(value(i)::equals).isPresent()) {
          ok++;
        } else {
          say("key " + key(i) + " is " + (r.found() ? "wrong: " + r.valueUtf8().orElse("") : "missing"));
        }
      }
    }
    say(ok + "/" + keys + " keys verified on its own volume");
    return ok;
  }

  /** When each peer first reached the rescheduled pod; {@code millis} is -1 when not all did in time. */
  private record Reach(long millis, List<String> lines) {}

  /**
   * From {@code since} until every other member's Status shows {@code pod} healthy (each member asks it itself,
   * through its per-pod DNS name) and the leader has replicated a write made after the restart to it.
   */
  private Reach awaitPeersReach(BerthClient client, String pod, long since) {
    final List<String> lines = new ArrayList<>();
    final long marker = client.put("demo/" + runId + "/after-reschedule", "replicated").revision();
    final Map<String, Long> reachedAt = new LinkedHashMap<>();
    final List<PodStatus> peers = cluster.status().stream().filter(p -> !p.name().equals(pod)).toList();
    long replicatedAt = -1;
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && (reachedAt.size() < peers.size() || replicatedAt < 0)) {
      for (PodStatus peer : peers) {
        if (reachedAt.containsKey(peer.name())) {
          continue;
        }
        final Optional<MemberStatus> view = viewOf(peer, pod);
        if (view.filter(MemberStatus::healthy).isPresent()) {
          reachedAt.put(peer.name(), millisSince(since));
          lines.add(peer.name() + " reaches " + pod + " (" + view.get().clientAddress() + " -> "
              + cluster.pod(pod).ip() + ") " + reachedAt.get(peer.name()) + " ms after it started");
        }
      }
      if (replicatedAt < 0) {
        final Optional<MemberStatus> self = viewOf(cluster.pod(pod), pod);
        if (self.isPresent() && self.get().revision() >= marker) {
          replicatedAt = millisSince(since);
          lines.add("the leader replicated a new write (revision " + marker + ") to " + pod + " " + replicatedAt
              + " ms after it started");
        }
      }
      if (reachedAt.size() < peers.size() || replicatedAt < 0) {
        sleep(100);
      }
    }
    if (reachedAt.size() < peers.size() || replicatedAt < 0) {
      return new Reach(-1, lines);
    }
    return new Reach(Math.max(replicatedAt, reachedAt.values().stream().mapToLong(Long::longValue).max()
        .orElse(0)), lines);
  }

  /** {@code target} as the member at {@code viewer} sees it (its Status asks every member itself). */
  private Optional<MemberStatus> viewOf(PodStatus viewer, String target) {
    try (BerthClient one = BerthClient.builder().endpoints(viewer.ip() + ":" + cluster.clientPort())
        .requestTimeout(Duration.ofSeconds(2)).retryBudget(Duration.ofSeconds(2)).build()) {
      return one.status().members().stream().filter(m -> m.name().equals(target)).findFirst();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private String pickFollower(BerthClient client, String leader) {
    return client.status().members().stream().map(MemberStatus::name).filter(n -> !n.equals(leader))
        .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no follower to reschedule"));
  }

  /** Waits until {@code pod} has applied everything the leader has committed, so its volume holds every key. */
  private void awaitCaughtUp(BerthClient client, String pod) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      final ClusterStatus s = client.status();
      final long commit = s.members().stream().filter(m -> m.role() == MemberStatus.Role.LEADER)
          .mapToLong(MemberStatus::commitIndex).max().orElse(Long.MAX_VALUE);
      final boolean caughtUp = s.members().stream()
          .anyMatch(m -> m.name().equals(pod) && m.healthy() && m.appliedIndex() >= commit);
      if (caughtUp) {
        say(pod + " has applied everything up to index " + commit);
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException(pod + " did not catch up with the leader within " + timeout.toSeconds() + " s");
  }

  private ClusterStatus awaitLeader(BerthClient client) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        final ClusterStatus s = client.status();
        if (s.leader().isPresent()) {
          return s;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      sleep(100);
    }
    throw new IllegalStateException("no leader within " + timeout.toSeconds() + " s"
        + (last == null ? "" : ": " + last.getMessage()));
  }

  private void printPods() {
    out.printf("   %-10s %-16s %-8s %-6s %-9s %s%n", "POD", "IP", "PID", "READY", "ROLE", "VOLUME");
    for (PodStatus p : cluster.status()) {
      out.printf("   %-10s %-16s %-8d %-6s %-9s %s%n", p.name(), p.ip(), p.pid(), p.ready(),
          p.role().isEmpty() ? "-" : p.role(), p.volume());
    }
  }

  private BerthClient client(List<String> endpoints) {
    return BerthClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(1))
        .retryBudget(timeout).build();
  }

  private String key(int i) {
    return String.format("demo/%s/key-%05d", runId, i);
  }

  private String value(int i) {
    return "value-" + i + "-" + runId;
  }

  private void step(int n, String what) {
    out.println();
    out.println("[" + n + "/6] " + what);
    out.flush();
  }

  /** One narration line. */
  public void say(String line) {
    synchronized (out) {
      out.println(clock() + "  " + line);
      out.flush();
    }
  }

  private void fail(String why) {
    failures.add(why);
    say("FAILED: " + why);
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
