package io.berth.server.statemachine;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.MemberState;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryResult;
import io.berth.proto.internal.v1.RangeQuery;
import io.berth.server.raft.RaftCodec;
import io.berth.storage.AppliedState;
import io.berth.storage.KvStore;
import io.berth.storage.Mutation;
import io.berth.storage.RangeResult;
import io.berth.storage.RocksKvStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of a member: applies committed commands to the member's RocksDB, answers queries from
 * it, and snapshots it as checkpoints.
 *
 * <h2>Where the state lives</h2>
 * The live database is at {@code dbDir}, outside Ratis' state machine directory, because installing a snapshot
 * from the leader replaces that whole directory. Snapshots are checkpoints in
 * {@link CheckpointSnapshotStorage}; installing one closes the live database and replaces it with a copy.
 *
 * <h2>Replay</h2>
 * The database records the (term, index) of the last entry it applied, in the same batch as the data. On
 * restart Ratis replays the log from the latest <em>snapshot</em>, which is usually older: entries at or below the
 * stored applied index are skipped (their effect is already in the database) while Ratis' own last-applied
 * position still advances, so neither revisions nor versions are counted twice and the applied position never
 * goes backwards. Entries that carry no command (leader no-ops, configuration changes) also advance the stored
 * position, so the database is always exactly a prefix of the log.
 *
 * <h2>Threads</h2>
 * Ratis calls apply, snapshot and reinitialize from its single updater thread; queries come from any thread. A
 * read-write lock protects the database handle while it is swapped during a snapshot install.
 */
public final class KvStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(KvStateMachine.class);

  private final Path dbDir;
  private final Applier applier;
  private final FatalErrorHandler fatal;
  private final Function<Path, KvStore> opener;
  private final CheckpointSnapshotStorage snapshots = new CheckpointSnapshotStorage();
  private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile KvStore store;
  private final StateMachineEvents events;
  private volatile long pausedAt;
  private final AtomicReference<String> lastLeader = new AtomicReference<>("");

  public KvStateMachine(Path dbDir, Applier applier, FatalErrorHandler fatal) {
    this(dbDir, applier, fatal, RocksKvStore::open);
  }

  /** @param opener opens the database at a directory (RocksDB in production) */
  public KvStateMachine(Path dbDir, Applier applier, FatalErrorHandler fatal, Function<Path, KvStore> opener) {
    this(dbDir, applier, fatal, opener, StateMachineEvents.NONE);
  }

  /** @param events told about leader changes and snapshots (for metrics) */
  public KvStateMachine(Path dbDir, Applier applier, FatalErrorHandler fatal, Function<Path, KvStore> opener,
      StateMachineEvents events) {
    this.events = Objects.requireNonNull(events, "events");
    this.dbDir = Objects.requireNonNull(dbDir, "dbDir");
    this.applier = Objects.requireNonNull(applier, "applier");
    this.fatal = Objects.requireNonNull(fatal, "fatal");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    snapshots.init(raftStorage);
    getLifeCycle().startAndTransition(this::openStore);
  }

  private void openStore() throws IOException {
    final SnapshotInfo snapshot = snapshots.getLatestSnapshot();
    KvStore opened = opener.apply(dbDir);
    if (snapshot != null && opened.applied().index() < snapshot.getIndex()) {
      // The database lost entries the log no longer holds (e.g. a crash during an install): start from the snapshot.
      LOG.warn("Database {} is at index {} but the latest snapshot is at {}; restoring it from the snapshot",
          dbDir, opened.applied().index(), snapshot.getIndex());
      opened.close();
      RocksKvStore.restore(snapshots.latestDir().orElseThrow(), dbDir);
      opened = opener.apply(dbDir);
    }
    this.store = opened;
    if (snapshot != null) {
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
    final AppliedState applied = opened.applied();
    LOG.info("State machine opened {}: applied term {} index {}, revision {}; latest snapshot {}",
        dbDir, applied.term(), applied.index(), applied.revision(), snapshot == null ? "none" : snapshot.getTermIndex());
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return snapshots;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    final LogEntryProto entry = trx.getLogEntry();
    final long term = entry.getTerm();
    final long index = entry.getIndex();
    final KvStore db = store;
    if (index <= db.applied().index()) {
      updateLastAppliedTermIndex(term, index); // replay of an entry the database already holds
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    final Command command;
    try {
      command = RaftCodec.command(entry.getStateMachineLogEntry().getLogData());
    } catch (InvalidProtocolBufferException e) {
      fatal.fatal("log entry " + TermIndex.valueOf(term, index) + " is not a valid command", e);
      return CompletableFuture.failedFuture(e);
    }
    final Applier.Outcome outcome = applier.apply(command, term, index, db);
    try {
      db.commit(outcome.mutation());
    } catch (RuntimeException e) {
      fatal.fatal("cannot apply log entry " + TermIndex.valueOf(term, index) + " to " + dbDir, e);
      return CompletableFuture.failedFuture(e);
    }
    updateLastAppliedTermIndex(term, index);
    return CompletableFuture.completedFuture(RaftCodec.toMessage(outcome.result()));
  }

  /**
   * Called (by Ratis, under its log lock) when the log drops every entry from {@code index} on to replace it with
   * a new leader's. Raft only ever replaces entries that were never committed, and this member applies only
   * committed ones, so an applied entry being dropped means this member's state holds a command its peers do not:
   * it stops, as on an apply error, instead of serving a state that differs from theirs.
   */
  @Override
  public CompletableFuture<Void> truncate(long index) {
    final KvStore db = store;
    final long applied = db == null ? -1 : db.applied().index();
    if (index <= applied) {
      fatal.fatal("the Raft log drops entries from index " + index + " on, but this member already applied up to "
          + applied + ": it applied an entry that was not committed and its state may differ from its"
          + " peers'; rebuild it from them (delete its volume; it rejoins as a new member)",
          new IllegalStateException("applied entry " + index + " dropped from the log"));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    final KvStore db = store;
    if (db != null && index > db.applied().index()) {
      try {
        db.commit(new Mutation(new AppliedState(term, index, db.applied().revision())));
      } catch (RuntimeException e) {
        fatal.fatal("cannot record applied index " + TermIndex.valueOf(term, index) + " in " + dbDir, e);
        return;
      }
    }
    super.notifyTermIndexUpdated(term, index);
  }

  @Override
  public long takeSnapshot() throws IOException {
    final TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    final Path dir = snapshots.snapshotDir(last);
    if (Files.exists(dir)) {
      return last.getIndex();
    }
    final long start = System.nanoTime();
    final KvStore db = store;
    db.flush();
    final AppliedState held = db.checkpoint(dir);
    if (held.index() < last.getIndex()) {
      throw new IOException("checkpoint " + dir + " holds index " + held.index() + " < last applied " + last);
    }
    snapshots.publish(last);
    events.snapshotTaken(Duration.ofNanos(System.nanoTime() - start));
    LOG.info("Snapshot taken at {} (revision {}) in {} ms: {}",
        last, held.revision(), (System.nanoTime() - start) / 1_000_000, dir);
    return last.getIndex();
  }

  @Override
  public void pause() {
    pausedAt = System.nanoTime();
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  /** Called by Ratis after a snapshot from the leader was written to the state machine directory. */
  @Override
  public void reinitialize() throws IOException {
    final SnapshotInfo snapshot = snapshots.reload();
    getLifeCycle().startAndTransition(() -> {
      if (snapshot == null) {
        return;
      }
      final long start = System.nanoTime();
      storeLock.writeLock().lock();
      try {
        store.close();
        RocksKvStore.restore(snapshots.latestDir().orElseThrow(), dbDir);
        store = opener.apply(dbDir);
      } finally {
        storeLock.writeLock().unlock();
      }
      setLastAppliedTermIndex(snapshot.getTermIndex());
      events.snapshotInstalled(Duration.ofNanos(System.nanoTime() - (pausedAt != 0 ? pausedAt : start)));
      pausedAt = 0;
      LOG.info("Snapshot installed at {} (revision {}) in {} ms", snapshot.getTermIndex(),
          store.applied().revision(), (System.nanoTime() - start) / 1_000_000);
    });
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      return CompletableFuture.completedFuture(RaftCodec.toMessage(answer(RaftCodec.query(request))));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Answers {@code query} from this member's local state (serializable: possibly stale, never torn). The queries
   * of a {@link io.berth.proto.internal.v1.QueryBatch} are answered one by one, each from a complete state.
   */
  public QueryResult answer(Query query) {
    if (query.getQCase() == Query.QCase.BATCH) {
      final QueryResult.Builder batch = QueryResult.newBuilder();
      for (Query q : query.getBatch().getQueriesList()) {
        if (q.getQCase() == Query.QCase.BATCH) {
          throw new IllegalArgumentException("a query batch inside a query batch");
        }
        batch.addBatchResults(answer(q));
      }
      return batch.build();
    }
    return withStore(db -> {
      final AppliedState applied = db.applied();
      final QueryResult.Builder result = QueryResult.newBuilder().setRevision(applied.revision());
      switch (query.getQCase()) {
        case GET -> db.get(query.getGet().getKey().toByteArray()).ifPresent(kv -> result.addKvs(kv).setCount(1));
        case RANGE -> {
          final RangeQuery r = query.getRange();
          final RangeResult found = db.range(r.getStart().toByteArray(), r.getEnd().toByteArray(), r.getLimit(),
              r.getKeysOnly(), r.getCountOnly());
          result.addAllKvs(found.kvs()).setCount(found.count()).setMore(found.more());
        }
        case MEMBER_STATE -> {
          final MemberState.Builder state = MemberState.newBuilder()
              .setAppliedTerm(applied.term())
              .setAppliedIndex(applied.index())
              .setRevision(applied.revision())
              .setKeyCount(db.range(new byte[0], new byte[0], 0, true, true).count());
          if (query.getMemberState().getContentHash()) {
            state.setContentHash(ByteString.copyFrom(db.contentHash()));
          }
          result.setMemberState(state);
        }
        case Q_NOT_SET -> throw new IllegalArgumentException("empty query");
        case BATCH -> throw new AssertionError("answered above");
      }
      return result.build();
    });
  }

  /** SHA-256 of this member's whole key space (see {@link KvStore#contentHash()}). */
  public byte[] contentHash() {
    return withStore(KvStore::contentHash);
  }

  /**
   * An integer RocksDB property of a column family of this member's database (see
   * {@link KvStore#longProperty}); empty while no database is open.
   */
  public OptionalLong storeProperty(String family, String property) {
    storeLock.readLock().lock();
    try {
      final KvStore db = store;
      return db == null ? OptionalLong.empty() : db.longProperty(family, property);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  /** The applied position and revision stored in this member's database. */
  public AppliedState applied() {
    return withStore(KvStore::applied);
  }

  private <T> T withStore(Function<KvStore, T> read) {
    storeLock.readLock().lock();
    try {
      final KvStore db = store;
      if (db == null) {
        throw new IllegalStateException("state machine is not open");
      }
      return read.apply(db);
    } finally {
      storeLock.readLock().unlock();
    }
  }

  /**
   * Ratis closes this member's Raft group by itself when an election the member started is answered "shut down":
   * a voter found the candidate outside the configuration (a member still being added, or one that was removed).
   * It tells the state machine here, with {@code allServer} false; with true it is the whole server closing, as
   * on a normal stop. After the former the process lives on, serving nothing, until something restarts it
   * (a new incarnation rejoining after a lost volume was seen with its group CLOSED for a minute, refusing every
   * append, until its pod was restarted; its log did not say why Ratis closed it). It is treated as fatal
   * instead, so the pod restarts at once and asks to join again.
   */
  @Override
  public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
    if (allServer) {
      return;
    }
    fatal.fatal("Ratis shut down this member's Raft group " + getGroupId() + " as " + roleInfo.getRole()
        + " (an election it started was answered that it is not in the configuration); restarting lets it ask"
        + " to join again", new IllegalStateException("Raft group closed by Ratis"));
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    final String self = groupMemberId.getPeerId().toString();
    final String leader = newLeaderId == null ? "" : newLeaderId.toString();
    if (leader.equals(lastLeader.getAndSet(leader))) {
      return;
    }
    events.leaderChanged(leader);
    if (leader.isEmpty()) {
      LOG.info("{} lost its leader", self);
    } else if (leader.equals(self)) {
      LOG.info("{} became leader", self);
    } else {
      LOG.info("{} is follower of leader {}", self, leader);
    }
  }

  @Override
  public void close() throws IOException {
    storeLock.writeLock().lock();
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      storeLock.writeLock().unlock();
    }
    super.close();
  }
}
