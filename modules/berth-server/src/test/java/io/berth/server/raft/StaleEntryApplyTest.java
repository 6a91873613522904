package io.berth.server.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.ProtoUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower must never apply an entry that its leader's log does not hold. One Ratis server, configured as a
 * Berth member is, is driven as a follower with hand-built appends (no other server runs): an old leader (term 1)
 * wrote entries 0..9 and committed 4, so 5..9 are an uncommitted, already flushed suffix; a new leader (term 2)
 * then sends (t2, 5), which must replace the suffix, and a heartbeat that names (t2, 5) and commits 5.
 *
 * <p>With Ratis' append-entries "compose" mode on (its default), the follower checked the new entry, queued the
 * truncation and the write behind an append still flushing, and let the heartbeat advance its commit index
 * meanwhile: the state machine applied the stale (t1, 5). That is how a partition-leader chaos run ended with
 * replicas that had applied different commands. Berth turns compose off (see {@link RaftNode#serverProperties}).
 */
class StaleEntryApplyTest {
  private static final RaftPeerId SELF = RaftPeerId.valueOf("s");
  private static final RaftPeerId OLD_LEADER = RaftPeerId.valueOf("a");
  private static final RaftPeerId NEW_LEADER = RaftPeerId.valueOf("b");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private RaftServer server;
  private final Recorder sm = new Recorder();
  private long callId;

  /** Records what it applies; its flush of index {@link #stallFlushFrom} or later waits until released. */
  static final class Recorder extends BaseStateMachine {
    final Map<Long, String> applied = new ConcurrentSkipListMap<>();
    volatile long stallFlushFrom = Long.MAX_VALUE;
    final CountDownLatch flushStalled = new CountDownLatch(1);
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      final LogEntryProto e = trx.getLogEntry();
      applied.put(e.getIndex(), "t" + e.getTerm() + ":" + e.getStateMachineLogEntry().getLogData().toStringUtf8());
      updateLastAppliedTermIndex(e.getTerm(), e.getIndex());
      return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public CompletableFuture<Void> flush(long index) {
      if (index < stallFlushFrom) {
        return CompletableFuture.completedFuture(null);
      }
      flushStalled.countDown();
      return release;
    }
  }

  @AfterEach
  void close() throws Exception {
    sm.release.complete(null);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aHeartbeatNeverMakesTheFollowerApplyTheStaleEntryItsNewLeaderReplaced() throws Exception {
    final int port = io.berth.server.LocalRaftCluster.freePort();
    final RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(),
        RaftPeer.newBuilder().setId(SELF).setAddress("127.0.0.1:" + port).build(),
        RaftPeer.newBuilder().setId(OLD_LEADER).setAddress("127.0.0.1:1").build(),
        RaftPeer.newBuilder().setId(NEW_LEADER).setAddress("127.0.0.1:2").build());
    // Berth's own Ratis settings; elections far away, so the follower only ever does what it is told.
    final RaftSettings settings = RaftSettings.defaults().withElectionTimeout(Duration.ofSeconds(60),
        Duration.ofSeconds(61));
    final RaftProperties p = RaftNode.serverProperties(settings, dir.resolve("raft"), "127.0.0.1", port);
    server = RaftServer.newBuilder().setServerId(SELF).setGroup(group).setStateMachine(sm).setProperties(p)
        .setOption(RaftStorage.StartupOption.FORMAT).build();
    server.start();
    final RaftGroupId g = group.getGroupId();
    final RaftServer.Division follower = server.getDivision(g);

    final List<LogEntryProto> oldTerm = new ArrayList<>();
    for (int i = 0; i <= 9; i++) {
      oldTerm.add(entry(1, i, "a" + i));
    }
    assertEquals(AppendEntriesReplyProto.AppendResult.SUCCESS,
        server.appendEntriesAsync(request(OLD_LEADER, g, 1, null, oldTerm, 4)).get(30, TimeUnit.SECONDS).getResult());
    await("entries 0..9 flushed", () -> follower.getRaftLog().getFlushIndex() >= 9);

    // One more append of the old leader whose flush does not finish: later appends queue behind it.
    sm.stallFlushFrom = 10;
    server.appendEntriesAsync(request(OLD_LEADER, g, 1, termIndex(1, 9), List.of(entry(1, 10, "a10")), 4));
    assertTrue(sm.flushStalled.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the flush of index 10 started");

    final CompletableFuture<AppendEntriesReplyProto> replace = server.appendEntriesAsync(
        request(NEW_LEADER, g, 2, termIndex(1, 4), List.of(entry(2, 5, "b5")), 4));
    final AppendEntriesReplyProto heartbeat = server.appendEntriesAsync(
        request(NEW_LEADER, g, 2, termIndex(2, 5), List.of(), 5)).get(30, TimeUnit.SECONDS);
    if (heartbeat.getFollowerCommit() >= 5) {
      await("index 5 applied", () -> sm.applied.containsKey(5L));
    }
    final String appliedBeforeRelease = sm.applied.get(5L);
    sm.release.complete(null);
    replace.get(30, TimeUnit.SECONDS);
    await("index 5 applied", () -> sm.applied.containsKey(5L));

    assertTrue(appliedBeforeRelease == null || appliedBeforeRelease.equals("t2:b5"),
        "applied the stale entry before the new leader's entry replaced it: " + appliedBeforeRelease);
    assertEquals("t2:b5", sm.applied.get(5L), "applied: " + sm.applied);
    assertEquals(2, follower.getRaftLog().getTermIndex(5).getTerm());
  }

  private static LogEntryProto entry(long term, long index, String data) {
    return LogEntryProto.newBuilder().setTerm(term).setIndex(index).setStateMachineLogEntry(
        StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFromUtf8(data))
            .setClientId(ClientId.randomId().toByteString()).setCallId(index)).build();
  }

  private static TermIndexProto termIndex(long term, long index) {
    return TermIndexProto.newBuilder().setTerm(term).setIndex(index).build();
  }

  private AppendEntriesRequestProto request(RaftPeerId from, RaftGroupId g, long term, TermIndexProto previous,
      List<LogEntryProto> entries, long commit) {
    final AppendEntriesRequestProto.Builder b = AppendEntriesRequestProto.newBuilder()
        .setServerRequest(RaftRpcRequestProto.newBuilder().setRequestorId(from.toByteString())
            .setReplyId(SELF.toByteString()).setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(g))
            .setCallId(++callId))
        .setLeaderTerm(term).addAllEntries(entries).setLeaderCommit(commit);
    if (previous != null) {
      b.setPreviousLog(previous);
    }
    return b.build();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
