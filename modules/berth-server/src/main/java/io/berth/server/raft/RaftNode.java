package io.berth.server.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandBatch;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryBatch;
import io.berth.proto.internal.v1.QueryResult;
import io.berth.server.statemachine.KvStateMachine;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the Raft group: the Ratis server with its {@link KvStateMachine}, and a small pool of embedded
 * Raft clients through which this member submits commands and linearizable reads on behalf of its own clients.
 *
 * <p>All Ratis configuration is here, through Ratis' typed key helpers. Peers are addressed by host <em>name</em>
 * ({@code berth-1.berth-peers.ns.svc.cluster.local:7380}); gRPC resolves the name on every reconnect, so a pod
 * rescheduled with a new IP is found again once DNS answers with it (the JVM DNS cache is kept short, see
 * {@link #configureShortDnsCaches()}). An unresolvable peer is retried like an unreachable one.
 */
public final class RaftNode implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

  /**
   * A member of the group as Raft sees it: peer id (the pod name, or {@code pod~N} for a later incarnation),
   * its Raft address and its client address (the Berth client API, host:port; empty when not known).
   *
   * <p>The Berth client address travels in the Raft configuration so every member can name it, but it must not
   * sit in Ratis' own {@code clientAddress}: Ratis sends its client protocol (the embedded clients' writes and
   * reads) to that address, and the Berth client port does not speak it, so every write through a leader that
   * joined with a client address failed with UNIMPLEMENTED until leadership moved. It is kept in the peer's
   * data-stream address instead, which Ratis reads only when its DataStream transport is enabled (Berth never
   * enables it). Ratis' client and admin protocols then go to the Raft address, where they are served.
   */
  public record Member(String id, String raftAddress, String clientAddress) {
    public Member(String id, String raftAddress) {
      this(id, raftAddress, "");
    }

    RaftPeer toPeer() {
      final RaftPeer.Builder b = RaftPeer.newBuilder().setId(id).setAddress(raftAddress);
      if (!clientAddress.isEmpty()) {
        b.setDataStreamAddress(clientAddress);
      }
      return b.build();
    }

    /**
     * Reads a peer of the configuration; a peer written by an earlier build carries the client address in Ratis'
     * client address, and is read the same way.
     */
    static Member of(RaftPeer p) {
      final String stored = present(p.getDataStreamAddress()) ? p.getDataStreamAddress() : p.getClientAddress();
      return new Member(p.getId().toString(), p.getAddress(), present(stored) ? stored : "");
    }

    /** Ratis gives an unset address as null, or as "" once the peer went through the log. */
    private static boolean present(String address) {
      return address != null && !address.isEmpty();
    }
  }

  private final RaftPeerId selfId;
  private final RaftGroup group;
  private final RaftServer server;
  private final KvStateMachine stateMachine;
  /** The embedded clients; one whose ordered window Ratis closed after a failed request is replaced. */
  private final AtomicReferenceArray<RaftClient> clients;
  private final Supplier<RaftClient> newClient;
  private volatile boolean stopping;
  private final RaftClient admin;
  private final AtomicInteger nextClient = new AtomicInteger();
  private final RaftSettings settings;
  private final RequestBatcher<Command, CommandResult> writes;
  private final RequestBatcher<Query, QueryResult> reads;

  private RaftNode(RaftPeerId selfId, RaftGroup group, RaftServer server, KvStateMachine stateMachine,
      List<RaftClient> clients, Supplier<RaftClient> newClient, RaftClient admin, RaftSettings settings) {
    this.selfId = selfId;
    this.group = group;
    this.server = server;
    this.stateMachine = stateMachine;
    this.clients = new AtomicReferenceArray<>(clients.toArray(RaftClient[]::new));
    this.newClient = newClient;
    this.admin = admin;
    this.settings = settings;
    this.writes = new RequestBatcher<>(this::sendCommands, Command::getSerializedSize, settings.batchInFlight(),
        settings.batchMaxRequests(), BATCH_MAX_BYTES, settings.electionTimeoutMin(), REPLIES);
    this.reads = new RequestBatcher<>(this::sendQueries, Query::getSerializedSize, settings.batchInFlight(),
        settings.batchMaxRequests(), BATCH_MAX_BYTES, settings.electionTimeoutMin(), REPLIES);
  }

  /**
   * Where the answers of a Raft request are handed to this member's callers and the next batch is sent: not on
   * Ratis' thread, which completes an ordered client's reply inside that client's lock (see {@link RequestBatcher}).
   * Shared by the members of one JVM; daemon threads, so nothing needs to stop them.
   */
  private static final ExecutorService REPLIES = Executors.newFixedThreadPool(4, new ThreadFactory() {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      final Thread t = new Thread(r, "berth-raft-replies-" + next.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  });

  /** A batch stays below this many bytes of requests (one larger request travels alone). */
  static final long BATCH_MAX_BYTES = 1L << 20;

  /** As {@link #start(Member, List, UUID, String, int, Path, KvStateMachine, RaftSettings)} for a bootstrap voter. */
  public static RaftNode start(String selfName, List<Member> members, UUID groupId, String bindHost, int peerPort,
      Path raftDir, KvStateMachine stateMachine, RaftSettings settings) throws IOException {
    final Member self = members.stream().filter(m -> m.id().equals(selfName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(selfName + " is not among " + members));
    return start(self, members, groupId, bindHost, peerPort, raftDir, stateMachine, settings);
  }

  /**
   * Starts the member. The Raft log lives under {@code raftDir} (on the member's volume, next to the database),
   * recovered if present ({@code RECOVER}, never {@code FORMAT}); a recovered log's configuration replaces
   * {@code initialMembers}.
   *
   * @param initialMembers the configuration of a new log: the bootstrap voters, or none for a member that joins
   *                       a running cluster (it then waits, unable to vote, until the leader adds it)
   * @param bindHost       the address the Raft port listens on ({@code 0.0.0.0} for all)
   */
  public static RaftNode start(Member self, List<Member> initialMembers, UUID groupId, String bindHost,
      int peerPort, Path raftDir, KvStateMachine stateMachine, RaftSettings settings) throws IOException {
    configureShortDnsCaches();
    final List<RaftPeer> peers = initialMembers.stream().map(Member::toPeer).toList();
    final RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(groupId), peers);
    final RaftPeerId selfId = RaftPeerId.valueOf(self.id());
    // The embedded clients talk to this member first; they need its address even when it is not (yet) in the
    // configuration. Ratis tells them the leader's address when it is elsewhere.
    final List<RaftPeer> known = new ArrayList<>(peers);
    if (known.stream().noneMatch(p -> p.getId().equals(selfId))) {
      known.add(self.toPeer());
    }
    final RaftGroup clientGroup = RaftGroup.valueOf(group.getGroupId(), known);
    final RaftProperties props = serverProperties(settings, raftDir, bindHost, peerPort);

    final RaftServer server = RaftServer.newBuilder()
        .setServerId(selfId)
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(props)
        .setParameters(new Parameters())
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();

    final Supplier<RaftClient> newClient = () -> RaftClient.newBuilder()
        .setClientId(ClientId.randomId())
        .setRaftGroup(clientGroup)
        .setLeaderId(selfId)
        .setProperties(clientProperties(settings))
        .setParameters(new Parameters())
        .setRetryPolicy(retryPolicy())
        .build();
    final List<RaftClient> clients = new ArrayList<>();
    for (int i = 0; i < settings.clientPoolSize(); i++) {
      clients.add(newClient.get());
    }
    final RaftProperties adminProps = clientProperties(settings);
    RaftClientConfigKeys.Rpc.setRequestTimeout(adminProps, TimeDuration.valueOf(60, TimeUnit.SECONDS));
    final RaftClient admin = RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(clientGroup)
        .setLeaderId(selfId).setProperties(adminProps).setParameters(new Parameters())
        .setRetryPolicy(RetryPolicies.noRetry()).build();
    LOG.debug("Raft member {} started in group {} with initial peers {}", selfId, groupId, initialMembers);
    return new RaftNode(selfId, group, server, stateMachine, clients, newClient, admin, settings);
  }

  static RaftProperties serverProperties(RaftSettings s, Path raftDir, String bindHost, int peerPort) {
    final RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
    GrpcConfigKeys.Server.setHost(p, bindHost);
    GrpcConfigKeys.Server.setPort(p, peerPort);
    GrpcConfigKeys.Server.setWorkerGroupSize(p, s.workerThreads());
    GrpcConfigKeys.Server.setBossGroupSize(p, 1);
    GrpcConfigKeys.Server.setAsyncRequestThreadPoolCached(p, false);
    GrpcConfigKeys.Server.setAsyncRequestThreadPoolSize(p, 8);
    RaftServerConfigKeys.ThreadPool.setServerCached(p, false);
    RaftServerConfigKeys.ThreadPool.setServerSize(p, 8);
    RaftServerConfigKeys.ThreadPool.setClientCached(p, false);
    RaftServerConfigKeys.ThreadPool.setClientSize(p, 8);

    final TimeDuration min = TimeDuration.valueOf(s.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS);
    final TimeDuration max = TimeDuration.valueOf(s.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, min);
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, max);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, min);
    RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, max);
    RaftServerConfigKeys.Rpc.setRequestTimeout(p, millis(s.requestTimeout()));
    RaftServerConfigKeys.LeaderElection.setPreVote(p, true);

    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, false);

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, s.snapshotThreshold()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, s.logPreserved());
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, s.snapshotThreshold())));
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.segmentSizeMaxBytes()));
    // Ratis' log metadata entries (the commit index, in the log) stay on, Ratis' default. Off, put throughput at
    // 64 in flight rose from 2061 to 2988 ops/s; they were wrongly suspected of the divergence below, and have not
    // been measured off under the chaos matrix since.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, true);
    // Followers handle appends one after another (Ratis' "compose" mode off). With it on, a follower checks an
    // append, queues the truncation of its conflicting suffix and the write, and meanwhile lets a heartbeat that
    // names the new entry advance its commit index: the state machine then read and applied the stale entry of
    // an older term still at that index, before the truncation ran. A partition-leader chaos run ended with
    // replicas that had applied different commands that way (StaleEntryApplyTest reproduces it).
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
    RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(s.snapshotChunkBytes()));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(s.snapshotChunkBytes() * 2, 16L << 20)));
    applyOverrides(p, System.getProperties());
    return p;
  }

  /**
   * Copies every {@code raft.*} JVM system property (for example {@code -Draft.server.log.force.sync.num=64} in
   * {@code BERTH_JAVA_OPTS}) over the settings above: Ratis' own keys, for tuning beyond what Berth's flags
   * cover. Logged, so an override is never silent.
   */
  static void applyOverrides(RaftProperties p, java.util.Properties system) {
    for (String key : system.stringPropertyNames().stream().sorted().toList()) {
      if (key.startsWith("raft.")) {
        LOG.info("Ratis setting {} = {} (from the JVM system property)", key, system.getProperty(key));
        p.set(key, system.getProperty(key));
      }
    }
  }

  private static RaftProperties clientProperties(RaftSettings s) {
    final RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, millis(s.requestTimeout()));
    GrpcConfigKeys.Client.setWorkerGroupSize(p, Math.max(1, s.workerThreads() / 2));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(16L << 20));
    return p;
  }

  /**
   * Exponential backoff from 25 ms to 250 ms, 120 attempts: about 30 s in all before a request is given up. The
   * cap is low so a write waiting out an election is retried within a quarter second of the new leader being
   * ready (a 1 s cap added up to a second to every failover).
   */
  private static RetryPolicy retryPolicy() {
    return ExponentialBackoffRetry.newBuilder()
        .setBaseSleepTime(TimeDuration.valueOf(25, TimeUnit.MILLISECONDS))
        .setMaxSleepTime(TimeDuration.valueOf(250, TimeUnit.MILLISECONDS))
        .setMaxAttempts(120)
        .build();
  }

  private static TimeDuration millis(Duration d) {
    return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Keeps positive DNS answers for 5 s and negative ones not at all, so a peer rescheduled with a new IP is
   * reached again within seconds. Must run before the first lookup; the launcher also passes the same values as
   * system properties.
   */
  public static void configureShortDnsCaches() {
    java.security.Security.setProperty("networkaddress.cache.ttl", "5");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
  }

  /**
   * Replicates {@code command} and returns its result once this member has applied it. A failure here
   * (timeout, no leader) does <em>not</em> mean the command was not applied: it may still commit.
   *
   * <p>Commands that arrive while {@link RaftSettings#batchInFlight()} earlier ones are still replicating leave
   * together, as one log entry ({@link RequestBatcher}).
   */
  public CompletableFuture<CommandResult> submit(Command command) {
    if (command.getOpCase() == Command.OpCase.BATCH) {
      throw new IllegalArgumentException("a batch is built by the member, not submitted");
    }
    return writes.submit(command);
  }

  private CompletableFuture<List<CommandResult>> sendCommands(List<Command> batch) {
    final Command entry = batch.size() == 1 ? batch.get(0)
        : Command.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(batch)).build();
    final int i = Math.floorMod(nextClient.getAndIncrement(), clients.length());
    final RaftClient client = clients.get(i);
    return client.async().send(RaftCodec.toMessage(entry)).whenComplete((r, e) -> replaceIfClosed(i, client, e))
        .thenApply(reply -> {
      try {
        final CommandResult result = RaftCodec.commandResult(successful(reply).getMessage());
        return batch.size() == 1 ? List.of(result) : result.getBatchResultsList();
      } catch (InvalidProtocolBufferException e) {
        throw new CompletionException(e);
      }
    });
  }

  /**
   * A linearizable read, answered by the leader after it confirmed its leadership with a heartbeat round
   * (ReadIndex) and applied up to its commit index. Any member accepts the read and forwards it. Reads that
   * arrive while earlier ones are outstanding share one ReadIndex round ({@link RequestBatcher}), as in etcd;
   * each is still answered from a state that includes every write completed before it was received.
   *
   * <p>Why not answer on this member when it is a follower: a follower learns that an entry is committed only
   * with the leader's next AppendEntries, and Ratis sends those every half minimum election timeout (500 ms by
   * default) when there is no write traffic, so a follower's ReadIndex read right after a write waited up to
   * that long (measured: p99 520 ms on an idle 3-member cluster). Sent unordered: reads need no ordering among
   * themselves, and Ratis' ordered read-only path stalls until the request timeout.
   */
  public CompletableFuture<QueryResult> readLinearizable(Query query) {
    if (query.getQCase() == Query.QCase.BATCH) {
      throw new IllegalArgumentException("a batch is built by the member, not submitted");
    }
    return reads.submit(query);
  }

  private CompletableFuture<List<QueryResult>> sendQueries(List<Query> batch) {
    final Query request = batch.size() == 1 ? batch.get(0)
        : Query.newBuilder().setBatch(QueryBatch.newBuilder().addAllQueries(batch)).build();
    final int i = Math.floorMod(nextClient.getAndIncrement(), clients.length());
    final RaftClient client = clients.get(i);
    return client.async().sendReadOnlyUnordered(RaftCodec.toMessage(request))
        .whenComplete((r, e) -> replaceIfClosed(i, client, e)).thenApply(reply -> {
      try {
        final QueryResult result = RaftCodec.queryResult(successful(reply).getMessage());
        return batch.size() == 1 ? List.of(result) : result.getBatchResultsList();
      } catch (InvalidProtocolBufferException e) {
        throw new CompletionException(e);
      }
    });
  }

  /**
   * When a request gives up (its retries exhausted during a long leader change), Ratis closes the client's
   * ordered sliding window for good, and every later request on that client fails at once with
   * {@link AlreadyClosedException}. Such a client is replaced by a fresh one, so one bad moment does not keep
   * failing a share of this member's writes until it restarts.
   */
  private void replaceIfClosed(int i, RaftClient client, Throwable error) {
    if (error == null || stopping) {
      return;
    }
    Throwable t = error;
    while (t != null && !(t instanceof AlreadyClosedException)) {
      t = t.getCause();
    }
    if (t == null) {
      return;
    }
    final RaftClient fresh = newClient.get();
    if (clients.compareAndSet(i, client, fresh)) {
      LOG.warn("Embedded Raft client {} of {} was closed by Ratis after a failed request ({}); replaced it", i,
          selfId, t.getMessage());
      CompletableFuture.runAsync(() -> closeQuietly(client));
    } else {
      closeQuietly(fresh);
    }
    if (stopping) {
      closeQuietly(clients.get(i));
    }
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("Closing Raft client: {}", e.toString());
    }
  }

  /** A serializable read of this member's local state: never torn, possibly stale. */
  public QueryResult readLocal(Query query) {
    return stateMachine.answer(query);
  }

  private static RaftClientReply successful(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new CompletionException(reply.getException() != null ? reply.getException()
          : new IOException("request failed: " + reply));
    }
    return reply;
  }

  public String selfId() {
    return selfId.toString();
  }

  public KvStateMachine stateMachine() {
    return stateMachine;
  }

  public RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new IllegalStateException("Raft group " + group.getGroupId() + " is not running on " + selfId, e);
    }
  }

  public boolean isLeader() {
    return division().getInfo().isLeader();
  }

  /** The current leader's peer id, if this member knows one. */
  public Optional<String> leader() {
    return Optional.ofNullable(division().getInfo().getLeaderId()).map(RaftPeerId::toString);
  }

  public long term() {
    return division().getInfo().getCurrentTerm();
  }

  public long commitIndex() {
    return division().getRaftLog().getLastCommittedIndex();
  }

  /** Hands leadership to the most caught-up live follower; see {@link #transferLeadership(Optional, Duration)}. */
  public Optional<String> transferLeadership(Duration timeout) {
    return transferLeadership(Optional.empty(), timeout);
  }

  /**
   * If this member leads, hands leadership to {@code target} (or, when empty, to the live follower with the
   * highest known commit index) and waits until it took over. Returns the new leader, or empty when this member
   * did not lead or the handoff did not complete in time.
   *
   * @throws IllegalArgumentException if {@code target} is not another member of the group
   */
  public Optional<String> transferLeadership(Optional<String> requested, Duration timeout) {
    requested.ifPresent(t -> {
      final var conf = division().getRaftConf();
      if (t.equals(selfId.toString()) || conf.getPeer(RaftPeerId.valueOf(t), RaftPeerRole.FOLLOWER) == null) {
        throw new IllegalArgumentException("cannot hand leadership to '" + t + "': not another voter of the group "
            + conf.getAllPeers(RaftPeerRole.FOLLOWER).stream().map(p -> p.getId().toString()).toList());
      }
    });
    if (!isLeader()) {
      return Optional.empty();
    }
    final RaftServer.Division division = division();
    final long aliveWithinMs = settings.electionTimeoutMin().toMillis();
    final Set<String> alive = division.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
        .filter(f -> f.getLastRpcElapsedTimeMs() < aliveWithinMs)
        .map(f -> f.getId().getId().toStringUtf8())
        .collect(Collectors.toSet());
    // Only a voter can lead: listeners are followed too, but never handed leadership.
    final Set<String> voters = division.getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER).stream()
        .map(p -> p.getId().toString()).collect(Collectors.toSet());
    final Optional<RaftPeerId> target = requested.isPresent()
        ? requested.filter(alive::contains).map(RaftPeerId::valueOf)
        : division.getCommitInfos().stream()
            .filter(c -> alive.contains(c.getServer().getId().toStringUtf8()))
            .filter(c -> voters.contains(c.getServer().getId().toStringUtf8()))
            .max(Comparator.comparingLong(CommitInfoProto::getCommitIndex))
            .map(c -> RaftPeerId.valueOf(c.getServer().getId()));
    if (target.isEmpty()) {
      LOG.warn("No {} answered within {} ms; not handing leadership over",
          requested.map(t -> "follower " + t).orElse("follower"), aliveWithinMs);
      return Optional.empty();
    }
    // Ratis answers the transfer call a while after the target took over, so completion is judged by watching
    // this member's view of the leader; the call's own failure ends the wait early. The admin client never
    // retries, so a transfer that timed out is not attempted again behind the caller's back.
    final CompletableFuture<RaftClientReply> call = CompletableFuture.supplyAsync(() -> {
      try {
        return admin.admin().transferLeadership(target.get(), selfId, timeout.toMillis());
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    });
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (target.get().equals(division.getInfo().getLeaderId())) {
        return target.map(RaftPeerId::toString);
      }
      if (call.isDone()) {
        try {
          final RaftClientReply reply = call.join();
          if (!reply.isSuccess()) {
            LOG.warn("Leadership transfer to {} failed: {}", target.get(), reply.getException());
            return Optional.empty();
          }
        } catch (CompletionException e) {
          LOG.warn("Leadership transfer to {} failed: {}", target.get(), e.getCause().toString());
          return Optional.empty();
        }
      }
      sleepQuietly(10);
    }
    LOG.warn("Leadership transfer to {} did not complete within {} ms", target.get(), timeout.toMillis());
    return Optional.empty();
  }

  /**
   * If this member leads, steps down without naming a successor (Ratis' transfer to no one); the next election
   * picks the leader. Returns whether Ratis accepted it.
   */
  public boolean stepDown(Duration timeout) {
    if (!isLeader()) {
      return false;
    }
    try {
      final RaftClientReply reply = admin.admin().transferLeadership(null, selfId, timeout.toMillis());
      if (!reply.isSuccess()) {
        LOG.warn("Stepping down failed: {}", reply.getException());
      }
      return reply.isSuccess();
    } catch (IOException e) {
      LOG.warn("Stepping down failed: {}", e.toString());
      return false;
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public RaftSettings settings() {
    return settings;
  }

  /** How this member's requests to Raft were grouped so far, for writes or for linearizable reads. */
  public record BatchStats(long batches, long requests, int waiting, long stalled) {}

  public BatchStats writeBatches() {
    return new BatchStats(writes.batchesSent(), writes.requestsSent(), writes.waiting(), writes.batchesStalled());
  }

  public BatchStats readBatches() {
    return new BatchStats(reads.batchesSent(), reads.requestsSent(), reads.waiting(), reads.batchesStalled());
  }

  /** The admin client (no retries, 60 s timeout), addressed to this member. */
  RaftClient adminClient() {
    return admin;
  }

  RaftPeerId selfPeerId() {
    return selfId;
  }

  @Override
  public void close() throws IOException {
    // Each Ratis client waits out its own Netty quiet period on close; close them side by side, not in turn.
    final List<CompletableFuture<Void>> closing = new ArrayList<>();
    stopping = true;
    final List<RaftClient> all = new ArrayList<>();
    for (int i = 0; i < clients.length(); i++) {
      all.add(clients.get(i));
    }
    all.add(admin);
    for (RaftClient c : all) {
      closing.add(CompletableFuture.runAsync(() -> {
        try {
          c.close();
        } catch (IOException e) {
          LOG.debug("Closing Raft client: {}", e.toString());
        }
      }));
    }
    server.close();
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
  }
}
