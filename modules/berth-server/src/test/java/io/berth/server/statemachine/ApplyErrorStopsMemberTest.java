package io.berth.server.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.proto.internal.v1.MemberIdentity;
import io.berth.server.LocalRaftCluster;
import io.berth.server.raft.RaftNode;
import io.berth.storage.AppliedState;
import io.berth.storage.KvStore;
import io.berth.storage.Mutation;
import io.berth.storage.RangeResult;
import io.berth.storage.RocksKvStore;
import io.berth.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.RaftLogIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A storage failure while applying the log must stop the member, never be skipped. */
class ApplyErrorStopsMemberTest {

  @Test
  void storageErrorDuringApplyCallsTheFatalHandlerAndAcknowledgesNothing(@TempDir Path dir) throws Exception {
    AtomicBoolean diskFull = new AtomicBoolean();
    List<String> fatal = new CopyOnWriteArrayList<>();
    KvStateMachine sm = new KvStateMachine(dir.resolve("db"), new Applier(),
        (what, cause) -> fatal.add(what + ": " + cause.getMessage()),
        path -> new FailingStore(RocksKvStore.open(path), diskFull));
    try (RaftNode node = leaderAlone(dir, sm)) {
      CommandResult ok = node.submit(LocalRaftCluster.putCommand("before", "x")).get(30, TimeUnit.SECONDS);
      assertTrue(ok.getRevision() > 0);

      diskFull.set(true);
      Exception failed = assertThrows(Exception.class,
          () -> node.submit(LocalRaftCluster.putCommand("lost", "y")).get(10, TimeUnit.SECONDS));
      assertTrue(failed instanceof ExecutionException || failed instanceof TimeoutException, failed.toString());

      assertTrue(!fatal.isEmpty(), "the fatal handler ran");
      // The first entry to reach the full disk may be the put or a Ratis metadata entry (commit index), whose
      // position is recorded too: either way the member stops.
      assertTrue(fatal.get(0).startsWith("cannot apply log entry")
          || fatal.get(0).startsWith("cannot record applied index"), fatal.get(0));
      assertTrue(fatal.get(0).contains("simulated: no space left on device"), fatal.get(0));
      assertEquals(1, sm.applied().revision(), "nothing of the failed entry reached the database");
    }
  }

  @Test
  void droppingAnAppliedEntryFromTheLogStopsTheMemberButDroppingUnappliedOnesDoesNot(@TempDir Path dir)
      throws Exception {
    List<String> fatal = new CopyOnWriteArrayList<>();
    KvStateMachine sm = new KvStateMachine(dir.resolve("db"), new Applier(), (what, cause) -> fatal.add(what));
    try (RaftNode node = leaderAlone(dir, sm)) {
      CommandResult r = node.submit(LocalRaftCluster.putCommand("k", "v")).get(30, TimeUnit.SECONDS);
      // Committing the put makes the leader append a metadata entry (the new commit index) and apply it a
      // moment later: read the applied index only once nothing in the log is left to apply.
      awaitLogApplied(node, sm);
      final long applied = sm.applied().index();
      assertTrue(applied >= r.getAppliedIndex(), "applied " + applied);

      // A follower replacing a new leader's conflicting, never applied entries: the normal case.
      sm.truncate(applied + 1).get(10, TimeUnit.SECONDS);
      assertEquals(List.of(), fatal);

      sm.truncate(applied).get(10, TimeUnit.SECONDS);
      assertEquals(1, fatal.size(), fatal.toString());
      assertTrue(fatal.get(0).contains("drops entries from index " + applied)
          && fatal.get(0).contains("already applied up to " + applied), fatal.get(0));
    }
  }

  @Test
  void ratisClosingTheGroupByItselfStopsTheMemberButANormalStopDoesNot(@TempDir Path dir) throws Exception {
    List<String> fatal = new CopyOnWriteArrayList<>();
    KvStateMachine sm = new KvStateMachine(dir.resolve("db"), new Applier(), (what, cause) -> fatal.add(what));
    try (RaftNode node = leaderAlone(dir, sm)) {
      // What Ratis' election calls when a voter answered "shut down" (the candidate is outside the configuration).
      sm.notifyServerShutdown(node.division().getInfo().getRoleInfoProto(), false);
      assertEquals(1, fatal.size(), fatal.toString());
      assertTrue(fatal.get(0).contains("Ratis shut down this member's Raft group"), fatal.get(0));
    }
    // Closing the node closed the whole server: Ratis says so with allServer=true, which is no failure.
    assertEquals(1, fatal.size(), fatal.toString());
  }

  /**
   * Waits until {@code sm} has applied the last log entry and that entry is Ratis' commit-index metadata
   * entry, which a leader with no new requests appends last: after that the applied index stays put.
   */
  private static void awaitLogApplied(RaftNode node, KvStateMachine sm) {
    final RaftLog log = node.division().getRaftLog();
    LocalRaftCluster.await(() -> {
      final long last = log.getLastEntryTermIndex().getIndex();
      try {
        return sm.applied().index() == last && log.get(last).hasMetadataEntry();
      } catch (RaftLogIOException e) {
        throw new IllegalStateException(e);
      }
    }, Duration.ofSeconds(30), () -> "the member to apply its whole log, ending with a metadata entry (applied "
        + sm.applied().index() + ", last " + log.getLastEntryTermIndex() + ")");
  }

  /** A one-member group on {@code sm}, once it leads. */
  private static RaftNode leaderAlone(Path dir, KvStateMachine sm) throws Exception {
    int port = LocalRaftCluster.freePort();
    RaftNode node = RaftNode.start("berth-0", List.of(new RaftNode.Member("berth-0", "127.0.0.1:" + port)),
        UUID.randomUUID(), "127.0.0.1", port, dir.resolve("raft"), sm, LocalRaftCluster.testSettings());
    try {
      LocalRaftCluster.await(node::isLeader, Duration.ofSeconds(30), () -> "leadership");
      return node;
    } catch (Exception | AssertionError e) {
      node.close();
      throw e;
    }
  }

  /** Delegates to a real store; fails every commit once the disk is "full". */
  private record FailingStore(KvStore delegate, AtomicBoolean full) implements KvStore {
    @Override
    public void commit(Mutation mutation) {
      if (full.get()) {
        throw new StorageException("simulated: no space left on device");
      }
      delegate.commit(mutation);
    }

    @Override
    public Optional<KeyValue> get(byte[] key) {
      return delegate.get(key);
    }

    @Override
    public RangeResult range(byte[] start, byte[] end, long limit, boolean keysOnly, boolean countOnly) {
      return delegate.range(start, end, limit, keysOnly, countOnly);
    }

    @Override
    public AppliedState applied() {
      return delegate.applied();
    }

    @Override
    public Optional<CommandResult> dedup(String clientId, long sequence) {
      return delegate.dedup(clientId, sequence);
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public AppliedState checkpoint(Path target) {
      return delegate.checkpoint(target);
    }

    @Override
    public byte[] contentHash() {
      return delegate.contentHash();
    }

    @Override
    public Optional<MemberIdentity> identity() {
      return delegate.identity();
    }

    @Override
    public void writeIdentity(MemberIdentity identity) {
      delegate.writeIdentity(identity);
    }

    @Override
    public java.util.OptionalLong longProperty(String family, String property) {
      return delegate.longProperty(family, property);
    }

    @Override
    public Path directory() {
      return delegate.directory();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
