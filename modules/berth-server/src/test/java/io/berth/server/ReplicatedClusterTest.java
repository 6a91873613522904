package io.berth.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.GetQuery;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryResult;
import io.berth.server.raft.RaftMembership;
import io.berth.server.raft.RaftSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.ratis.server.impl.RatisLeaderInternals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real members in one JVM: replication, failover, restart, snapshot install, replay, handoff. */
class ReplicatedClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private LocalRaftCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
      assertEquals(List.of(), cluster.fatalErrors, "no member may hit a fatal apply error");
    }
  }

  @Test
  void writeThroughAnyMemberCommitsOnEveryReplica() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int follower = (leader + 1) % 3;

    CommandResult viaLeader = cluster.put(leader, "a", "1");
    CommandResult viaFollower = cluster.put(follower, "b", "2");

    assertTrue(viaFollower.getRevision() > viaLeader.getRevision(), "revisions increase across members");
    cluster.awaitApplied(viaFollower.getAppliedIndex(), WAIT);
    for (int i = 0; i < 3; i++) {
      assertEquals("1", cluster.localGet(i, "a").orElseThrow().getValue().toStringUtf8(), "member " + i);
      assertEquals("2", cluster.localGet(i, "b").orElseThrow().getValue().toStringUtf8(), "member " + i);
    }
    assertTrue(cluster.replicasIdentical());
  }

  @Test
  void linearizableReadOnAFollowerSeesTheAcknowledgedWrite() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int follower = (leader + 2) % 3;
    for (int n = 0; n < 20; n++) {
      cluster.put(leader, "lin", "v" + n);
      var read = cluster.member(follower).raft().readLinearizable(Query.newBuilder()
          .setGet(GetQuery.newBuilder().setKey(LocalRaftCluster.bytes("lin"))).build())
          .get(10, TimeUnit.SECONDS);
      assertEquals("v" + n, read.getKvs(0).getValue().toStringUtf8(), "read " + n + " on follower");
    }
  }

  @Test
  void concurrentWritesAndReadsThroughOneMemberAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    final int leader = cluster.awaitLeader(WAIT);
    final int via = (leader + 1) % 3; // a follower: batches travel to the leader and back
    final var raft = cluster.member(via).raft();
    final int n = 400;
    final List<CompletableFuture<CommandResult>> writes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      writes.add(raft.submit(LocalRaftCluster.putCommand("batch/" + (i % 50), "v" + i)));
    }
    final Set<Long> revisions = new HashSet<>();
    final Set<Long> entries = new HashSet<>();
    final String[] latest = new String[50]; // per key, the value of its put with the highest revision
    final long[] latestRevision = new long[50];
    for (int i = 0; i < n; i++) {
      final CommandResult r = writes.get(i).get(30, TimeUnit.SECONDS);
      assertTrue(revisions.add(r.getRevision()), "each put has its own revision: " + r);
      entries.add(r.getAppliedIndex());
      if (r.getRevision() > latestRevision[i % 50]) {
        latestRevision[i % 50] = r.getRevision();
        latest[i % 50] = "v" + i;
      }
    }
    assertEquals(n, revisions.size());
    assertTrue(entries.size() < n, "400 puts issued at once share log entries (" + entries.size() + " entries)");

    final List<CompletableFuture<QueryResult>> reads = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      reads.add(raft.readLinearizable(Query.newBuilder().setGet(
          GetQuery.newBuilder().setKey(LocalRaftCluster.bytes("batch/" + k))).build()));
    }
    for (int k = 0; k < 50; k++) {
      // Every put was acknowledged before the reads were sent: each read sees its key's latest put.
      assertEquals(latest[k], reads.get(k).get(30, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8(),
          "linearizable read of batch/" + k);
    }
    cluster.awaitApplied(cluster.member(leader).raft().commitIndex(), WAIT);
    assertTrue(cluster.replicasIdentical(), cluster.describe());
  }

  @Test
  void leaderCrashLosesNoAcknowledgedWriteAndWritesContinueUnderNewLeader() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int oldLeader = cluster.awaitLeader(WAIT);
    int writer = (oldLeader + 1) % 3;

    ConcurrentHashMap<String, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
      int attempts = 0;
      for (int n = 0; !stop.get() && n < 100_000; n++) {
        attempts++;
        try {
          CommandResult r = cluster.member(writer).raft().submit(LocalRaftCluster.putCommand("k" + n, "v" + n))
              .get(30, TimeUnit.SECONDS);
          acknowledged.put("k" + n, r.getAppliedIndex());
        } catch (Exception e) {
          // not acknowledged: may or may not have committed, which is allowed
        }
      }
      return attempts;
    });
    LocalRaftCluster.await(() -> acknowledged.size() >= 50, WAIT, () -> "50 writes before the crash");
    cluster.crash(oldLeader);
    int before = acknowledged.size();
    int newLeader = cluster.awaitLeader(WAIT);
    assertNotEquals(oldLeader, newLeader);
    LocalRaftCluster.await(() -> acknowledged.size() >= before + 50, WAIT, () -> "50 writes under the new leader");
    stop.set(true);
    load.get(60, TimeUnit.SECONDS);

    long maxIndex = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    cluster.awaitApplied(maxIndex, WAIT);
    for (int i = 0; i < 3; i++) {
      if (!cluster.isRunning(i)) {
        continue;
      }
      for (String key : acknowledged.keySet()) {
        assertTrue(cluster.localGet(i, key).isPresent(), "acknowledged " + key + " missing on member " + i);
      }
    }

    // The old leader comes back, catches up from the log, and its own database holds every key.
    cluster.start(oldLeader);
    cluster.awaitApplied(maxIndex, WAIT);
    for (String key : acknowledged.keySet()) {
      assertTrue(cluster.localGet(oldLeader, key).isPresent(), "restarted member lacks " + key);
    }
    LocalRaftCluster.await(cluster::replicasIdentical, WAIT, () -> "identical replicas: " + cluster.describe());
  }

  @Test
  void restartReplaysWithoutApplyingTwice() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    CommandResult last = null;
    for (int v = 1; v <= 10; v++) {
      last = cluster.put(leader, "counter", "v" + v);
    }
    assertEquals(10, last.getCurrent().getVersion());
    long revision = last.getRevision();
    cluster.awaitApplied(last.getAppliedIndex(), WAIT);

    for (int i = 0; i < 3; i++) {
      cluster.crash(i);
    }
    cluster.startAll();
    int newLeader = cluster.awaitLeader(WAIT);
    CommandResult next = cluster.put(newLeader, "counter", "v11");

    assertEquals(11, next.getCurrent().getVersion(), "version counts each put exactly once across a restart");
    assertEquals(revision + 1, next.getRevision(), "revision counts each command exactly once across a restart");
    assertEquals(next.getCurrent().getCreateRevision(), last.getCurrent().getCreateRevision());
    cluster.awaitApplied(next.getAppliedIndex(), WAIT);
    for (int i = 0; i < 3; i++) {
      KeyValue kv = cluster.localGet(i, "counter").orElseThrow();
      assertEquals(11, kv.getVersion(), "member " + i);
      assertEquals(revision + 1, kv.getModRevision(), "member " + i);
    }
  }

  @Test
  void followerBehindPurgedLogCatchesUpThroughSnapshotInstall() throws Exception {
    RaftSettings small = LocalRaftCluster.testSettings().withSnapshots(200, 0, 16 * 1024);
    cluster = new LocalRaftCluster(dir, 3, small).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int lagging = (leader + 1) % 3;
    cluster.put(leader, "before", "x");
    cluster.crash(lagging);

    CommandResult last = null;
    for (int n = 0; n < 1500; n++) {
      last = cluster.put(leader, "key-" + n, "value-" + n);
    }
    final long target = last.getAppliedIndex();
    Path leaderLog = cluster.dataDir(leader).resolve("raft");
    LocalRaftCluster.await(() -> firstLogIndex(leaderLog) > 10, WAIT,
        () -> "the leader to purge its log (first segment starts at " + firstLogIndex(leaderLog) + ")");

    cluster.start(lagging);
    cluster.awaitApplied(target, WAIT);
    assertTrue(Files.isDirectory(snapshotDirOf(cluster.dataDir(lagging))),
        "the lagging member received a snapshot from the leader");
    assertEquals("value-1499", cluster.localGet(lagging, "key-1499").orElseThrow().getValue().toStringUtf8());
    assertEquals("x", cluster.localGet(lagging, "before").orElseThrow().getValue().toStringUtf8());
    assertArrayEquals(cluster.member(leader).raft().stateMachine().contentHash(),
        cluster.member(lagging).raft().stateMachine().contentHash());

    // After the install it keeps applying new entries normally, and survives its own restart.
    CommandResult after = cluster.put(leader, "after", "y");
    cluster.awaitApplied(after.getAppliedIndex(), WAIT);
    cluster.crash(lagging);
    cluster.start(lagging);
    cluster.awaitApplied(after.getAppliedIndex(), WAIT);
    assertEquals(1502, cluster.member(lagging).raft().stateMachine().applied().revision(),
        "1 + 1500 + 1 puts, each counted once");
  }

  /**
   * Ratis 3.3 can leave a leader without a log appender for a member of the configuration (a staged member's
   * failed appender is not restarted; see ReplicationWatchdog). Such a member never hears from the leader again.
   * The leader must notice and hand leadership over, so the member catches up.
   */
  @Test
  void aMemberTheLeaderStoppedReplicatingToCatchesUpUnderTheNextLeader() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int dropped = (leader + 1) % 3;
    cluster.awaitApplied(cluster.put(leader, "before", "x").getAppliedIndex(), WAIT);

    RatisLeaderInternals.dropLogAppender(cluster.member(leader).raft().division(), cluster.name(dropped));
    CommandResult last = null;
    for (int n = 0; n < 50; n++) {
      last = cluster.put((leader + 2) % 3, "key-" + n, "value-" + n);
    }

    cluster.awaitApplied(last.getAppliedIndex(), WAIT);
    assertEquals("value-49", cluster.localGet(dropped, "key-49").orElseThrow().getValue().toStringUtf8());
    assertNotEquals(Optional.of(leader), cluster.currentLeader(), "leadership moved away from the leader that"
        + " stopped replicating");
    assertTrue(cluster.replicasIdentical(), "replicas identical");
  }

  @Test
  void memberOnAnEmptyVolumeNeverVotesAsItsOldSelfButRejoinsAsANewIncarnation() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int lost = (leader + 1) % 3;
    CommandResult r = cluster.put(leader, "k", "v");
    cluster.awaitApplied(r.getAppliedIndex(), WAIT);
    cluster.crash(lost);
    org.apache.ratis.util.FileUtils.deleteFully(cluster.dataDir(lost));

    final String old = cluster.name(lost);
    final String incarnation = old + "~2";
    cluster.start(lost);
    assertEquals(incarnation, cluster.member(lost).raft().selfId(), "a new Raft peer id, never the old voter's");
    assertTrue(Files.readString(cluster.dataDir(lost).resolve("IDENTITY")).contains("peer_id: \"" + incarnation
        + "\""));
    // It asks to join: added as a listener in place of the old incarnation, caught up, then promoted.
    LocalRaftCluster.await(() -> cluster.currentLeader().map(l -> {
      final var conf = new RaftMembership(cluster.member(l).raft()).configuration();
      return conf.isVoter(incarnation) && conf.find(old).isEmpty() && conf.voters().size() == 3;
    }).orElse(false), WAIT, () -> "the configuration to hold " + incarnation + " as a voter instead of " + old
        + ": " + cluster.describe());
    LocalRaftCluster.await(() -> cluster.localGet(lost, "k").isPresent(), WAIT, () -> incarnation + " caught up");
    // Restarted on its volume, it is the same incarnation again, recovered from its own log.
    cluster.crash(lost);
    cluster.start(lost);
    assertEquals(incarnation, cluster.member(lost).raft().selfId());
    assertTrue(new RaftMembership(cluster.member(lost).raft()).configuration().isVoter(incarnation));
    int now = cluster.awaitLeader(WAIT);
    CommandResult after = cluster.put(now, "k2", "v2");
    cluster.awaitApplied(after.getAppliedIndex(), WAIT);
  }

  /**
   * A member that joined with a client address (a new incarnation here; a scaled-up pod alike) takes writes when
   * it leads. The client address once sat where Ratis sends its own client protocol, so a leader that had joined
   * refused every write (UNIMPLEMENTED on the Berth client port) until leadership moved: after a lost volume and
   * a rolling restart this left the cluster without writes for minutes.
   */
  @Test
  void aMemberThatJoinedTakesWritesWhenItLeads() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    int lost = (leader + 1) % 3;
    int other = (leader + 2) % 3;
    cluster.awaitApplied(cluster.put(leader, "k", "v").getAppliedIndex(), WAIT);
    cluster.crash(lost);
    org.apache.ratis.util.FileUtils.deleteFully(cluster.dataDir(lost));
    cluster.start(lost);
    final String incarnation = cluster.name(lost) + "~2";
    LocalRaftCluster.await(() -> new RaftMembership(cluster.member(leader).raft()).configuration()
        .isVoter(incarnation), WAIT, () -> incarnation + " a voter: " + cluster.describe());
    LocalRaftCluster.await(() -> cluster.localGet(lost, "k").isPresent(), WAIT, () -> incarnation + " caught up");
    final RaftMembership.Configuration conf = new RaftMembership(cluster.member(leader).raft()).configuration();
    assertTrue(conf.find(incarnation).orElseThrow().clientAddress().endsWith(":" + cluster.member(lost).clientPort()),
        "the configuration still names the joined member's client address: " + conf);

    // The handoff is refused until the new member runs as a follower; ask until it is taken.
    LocalRaftCluster.await(() -> cluster.member(leader).raft().transferLeadership(Optional.of(incarnation),
        Duration.ofSeconds(5)).isPresent(), WAIT, () -> "leadership handed to " + incarnation + ": "
        + cluster.describe());
    assertEquals(lost, cluster.awaitLeader(WAIT));
    // Through the joined leader's own embedded clients, through a follower, and through the former leader.
    for (int via : List.of(lost, other, leader)) {
      final CommandResult r = cluster.put(via, "after-" + via, "x");
      cluster.awaitApplied(r.getAppliedIndex(), WAIT);
    }
    assertTrue(cluster.replicasIdentical(), cluster.describe());
  }

  @Test
  void gracefulStopOfLeaderHandsLeadershipToAFollower() throws Exception {
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings()).startAll();
    int leader = cluster.awaitLeader(WAIT);
    CommandResult r = cluster.put(leader, "k", "v");
    cluster.awaitApplied(r.getAppliedIndex(), WAIT);
    long termBefore = cluster.member(leader).raft().term();

    Optional<String> next = cluster.member(leader).raft().transferLeadership(Duration.ofSeconds(10));
    assertTrue(next.isPresent(), "leadership was handed over");
    cluster.stopGracefully(leader);

    int newLeader = cluster.awaitLeader(WAIT);
    assertEquals(next.get(), cluster.name(newLeader));
    assertEquals(termBefore + 1, cluster.member(newLeader).raft().term(),
        "a handoff takes exactly one term: no election round was lost to a timeout");
    assertEquals("v", cluster.localGet(newLeader, "k").orElseThrow().getValue().toStringUtf8());
    cluster.put(newLeader, "k2", "v2");
  }

  private static long firstLogIndex(Path raftDir) {
    try (Stream<Path> files = Files.walk(raftDir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("log_"))
          .map(n -> n.replace("log_inprogress_", "").replace("log_", "").split("-")[0])
          .mapToLong(Long::parseLong).min().orElse(0);
    } catch (Exception e) {
      return 0;
    }
  }

  private static Path snapshotDirOf(Path dataDir) throws Exception {
    try (Stream<Path> files = Files.walk(dataDir.resolve("raft"))) {
      List<Path> found = new ArrayList<>(files.filter(p -> p.getParent() != null
          && p.getParent().getFileName().toString().equals("sm") && Files.isDirectory(p)).toList());
      return found.isEmpty() ? dataDir.resolve("no-snapshot") : found.get(0);
    }
  }
}
