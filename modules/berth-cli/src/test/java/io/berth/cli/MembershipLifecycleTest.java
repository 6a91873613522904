package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.Consistency;
import io.berth.client.Membership;
import io.berth.client.ScanOptions;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.StatefulSetSpec;
import io.berth.testkit.local.StatefulSetSpec.Container;
import io.berth.testkit.local.StatefulSetSpec.EnvVar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raft membership follows the StatefulSet only through explicit, safe operations, on the local StatefulSet
 * emulator with real member processes and a write load running throughout: scaling up and down, a member
 * losing its volume, a rolling restart, and the changes that must be refused. Each operation's longest window
 * without an acknowledged write is printed (measured, never asserted: the machine is shared).
 */
class MembershipLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(180);

  /** The project's StatefulSet with a low snapshot threshold, so a joining member installs a snapshot. */
  private static StatefulSetSpec spec(int snapshotThreshold, Duration minReady) throws Exception {
    final StatefulSetSpec base = Manifests.fromDirectory(Path.of("../../k8s/base"));
    final Container c = base.container();
    final List<EnvVar> env = new ArrayList<>(c.env());
    env.add(new EnvVar("BERTH_SNAPSHOT_THRESHOLD", Optional.of(Integer.toString(snapshotThreshold)),
        Optional.empty(), Optional.empty(), Optional.empty()));
    final Container container = new Container(c.name(), c.command(), c.args(), env, c.mounts(), c.ports(),
        c.startupProbe(), c.readinessProbe(), c.livenessProbe(), c.limits(), c.requests());
    return new StatefulSetSpec(base.name(), base.namespace(), base.serviceName(), base.replicas(), base.policy(),
        container, base.claimTemplates(), base.emptyDirs(), base.terminationGrace(), minReady, base.source());
  }

  @Test
  void scaleThreeToFiveAndBackUnderWritesLosesNoAcknowledgedWriteAndRefusesUnsafeChanges(@TempDir Path dir)
      throws Exception {
    try (LocalStatefulSet sts = LocalStatefulSet.builder(dir, spec(300, Duration.ofSeconds(2))).build()) {
      sts.up(WAIT);
      final WriteLoad load = new WriteLoad(sts);
      try {
        load.awaitMore(400, WAIT); // past the snapshot threshold: the new members need a snapshot

        // Scale up: the new pods are not in the configuration; they ask to join, catch up as listeners, and are
        // promoted. The existing members keep BERTH_REPLICAS=3 and their configuration changes only by Raft.
        long start = System.nanoTime();
        sts.scale(5, WAIT);
        await("5 voters", () -> voters(sts).equals(List.of("berth-0", "berth-1", "berth-2", "berth-3",
            "berth-4")));
        long end = System.nanoTime();
        report("scale 3 -> 5 (pods created, joined, promoted)", start, end, load);
        load.awaitMore(50, WAIT);
        final Cli.Result list = Cli.run("member", "list", "--endpoints", String.join(",", sts.endpoints()));
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals(5, list.out().lines().filter(l -> l.contains(" VOTER ")).count(), list.toString());
        System.out.print("berth member list after scaling to 5:\n" + list.out());
        assertEquals("berth-3", Files.readString(Path.of(sts.pod("berth-3").volume(), "IDENTITY"))
            .lines().filter(l -> l.startsWith("peer_id")).findFirst().orElseThrow().split("\"")[1]);

        // Scale down: the documented order, the members first (one change for both), then the pods.
        start = System.nanoTime();
        final Cli.Result removed = Cli.run("member", "remove", "berth-4", "berth-3", "--endpoints",
            String.join(",", sts.endpoints()), "-o", "json");
        assertEquals(0, removed.exitCode(), removed.toString());
        assertTrue(removed.out().contains("\"members\""), removed.toString());
        assertEquals(List.of("berth-0", "berth-1", "berth-2"), voters(sts));
        sts.scale(3, WAIT);
        end = System.nanoTime();
        report("scale 5 -> 3 (members removed, then pods deleted)", start, end, load);
        load.awaitMore(50, WAIT);

        // Refusals, each with its reason, on the 3 voters left; nothing changes.
        final String endpoints = String.join(",", sts.endpoints());
        final Cli.Result majority = Cli.run("member", "remove", "berth-0", "berth-1", "--endpoints", endpoints);
        assertEquals(1, majority.exitCode(), majority.toString());
        assertTrue(majority.err().contains("2 of 3 voters") && majority.err().contains("majority"),
            majority.toString());
        final Cli.Result unknown = Cli.run("member", "remove", "berth-7", "--endpoints", endpoints);
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("no member berth-7"), unknown.toString());
        final String down = sts.leader().map(l -> l.name().equals("berth-2") ? "berth-1" : "berth-2").orElseThrow();
        final String other = List.of("berth-0", "berth-1", "berth-2").stream()
            .filter(n -> !n.equals(down) && !sts.leader().map(l -> l.name().equals(n)).orElse(false))
            .findFirst().orElseThrow();
        sts.kill(down, false);
        await(down + " no longer live", () -> members(sts).members().stream()
            .anyMatch(m -> m.name().equals(down) && !m.live()));
        final Cli.Result quorum = Cli.run("member", "remove", other, "--endpoints", endpoints);
        assertEquals(1, quorum.exitCode(), quorum.toString());
        assertTrue(quorum.err().contains("would lose quorum"), quorum.toString());
        sts.start(down);
        assertEquals(List.of("berth-0", "berth-1", "berth-2"), voters(sts));
        sts.awaitReady(WAIT);
        load.awaitMore(50, WAIT);
      } finally {
        load.close();
      }
      try (BerthClient client = BerthClient.builder().endpoints(sts.endpoints()).build()) {
        assertEquals(List.of(), load.lostWrites(client), "acknowledged writes lost");
      }
      System.out.printf("scale test: %d writes acknowledged, %d not acknowledged%n", load.acknowledged(),
          load.failures().size());
    }
  }

  @Test
  void memberOnAnEmptyVolumeRejoinsAsANewIncarnationAndRollingRestartKeepsWriting(@TempDir Path dir)
      throws Exception {
    try (LocalStatefulSet sts = LocalStatefulSet.builder(dir, spec(300, Duration.ofSeconds(2))).build()) {
      sts.up(WAIT);
      final WriteLoad load = new WriteLoad(sts);
      try {
        load.awaitMore(400, WAIT);

        // Lost volume: the pod comes back empty, joins as berth-1~2 in place of berth-1, installs a snapshot.
        final String lost = sts.leader().map(l -> l.name().equals("berth-1") ? "berth-2" : "berth-1")
            .orElseThrow();
        long start = System.nanoTime();
        sts.deleteVolume(lost);
        await(lost + "~2 a voter in place of " + lost, () -> voters(sts).contains(lost + "~2")
            && !voters(sts).contains(lost) && voters(sts).size() == 3);
        long end = System.nanoTime();
        report("lost volume of " + lost + " (rejoined as " + lost + "~2)", start, end, load);
        final Path volume = Path.of(sts.pod(lost).volume());
        assertTrue(Files.readString(volume.resolve("IDENTITY")).contains("peer_id: \"" + lost + "~2\""));
        assertTrue(Files.readString(sts.logFile(lost)).contains("Snapshot installed at"),
            "the new incarnation caught up from a snapshot");
        load.awaitMore(50, WAIT);
        final int acked = load.acknowledged();
        final String endpoint = sts.pod(lost).ip() + ":" + sts.clientPort();
        try (BerthClient direct = BerthClient.builder().endpoints(endpoint).build()) {
          await(lost + "~2 to hold the acknowledged writes", () -> direct.scanPrefix("load/".getBytes(
              java.nio.charset.StandardCharsets.UTF_8), ScanOptions.defaults().withCountOnly()
              .withConsistency(Consistency.SERIALIZABLE)).count() >= acked);
        }

        // Rolling restart: every pod deleted gracefully in turn (a leader hands over first), new IPs.
        sts.awaitReady(WAIT);
        start = System.nanoTime();
        sts.rollingRestart(WAIT);
        end = System.nanoTime();
        report("rolling restart of 3 pods", start, end, load);
        final StringBuilder logs = new StringBuilder();
        for (String pod : List.of("berth-0", "berth-1", "berth-2")) {
          logs.append(Files.readString(sts.logFile(pod)));
        }
        // Every leader that was stopped tried to hand leadership over first. Whether the handoff finished within
        // the member's 3 s limit depends on the machine's load, so it is reported, not asserted.
        final long handed = logs.toString().lines().filter(l -> l.contains("Leadership handed to ")).count();
        final long late = logs.toString().lines().filter(l -> l.contains("No follower took over leadership"))
            .count();
        assertTrue(handed + late >= 1, "a leader was stopped during the rolling restart and tried a handoff");
        System.out.printf("rolling restart: %d leadership handoffs completed in time, %d did not (the leader then"
            + " stopped anyway)%n", handed, late);
        load.awaitMore(50, WAIT);
        assertEquals(3, voters(sts).size(), "membership did not change when pods stopped and started");
      } finally {
        load.close();
      }
      try (BerthClient client = BerthClient.builder().endpoints(sts.endpoints()).build()) {
        assertEquals(List.of(), load.lostWrites(client), "acknowledged writes lost");
      }
      System.out.printf("lost-volume/rolling test: %d writes acknowledged, %d not acknowledged%n",
          load.acknowledged(), load.failures().size());
    }
  }

  private static void report(String what, long start, long end, WriteLoad load) {
    System.out.printf("MEASURED %s: took %d ms; longest window without an acknowledged write %d ms%n", what,
        (end - start) / 1_000_000, load.longestGap(start, end).toMillis());
  }

  private static Membership members(LocalStatefulSet sts) {
    try (BerthClient c = BerthClient.builder().endpoints(sts.endpoints()).build()) {
      return c.members();
    }
  }

  private static List<String> voters(LocalStatefulSet sts) {
    return members(sts).voters().stream().map(Membership.Member::name).sorted().toList();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // the cluster may be between leaders: ask again
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
