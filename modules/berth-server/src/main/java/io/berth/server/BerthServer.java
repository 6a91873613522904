package io.berth.server;

import io.berth.proto.internal.v1.MemberIdentity;
import io.berth.proto.internal.v1.MemberState;
import io.berth.server.api.AdminHttpServer;
import io.berth.server.api.ClientApiServer;
import io.berth.server.api.Limits;
import io.berth.server.api.MemberHealth;
import io.berth.server.identity.IdentityMarker;
import io.berth.server.identity.Incarnation;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.PeerSpec;
import io.berth.server.identity.StartMode;
import io.berth.server.membership.AutoJoin;
import io.berth.server.metrics.BerthMetrics;
import io.berth.server.raft.PeerProbe;
import io.berth.server.raft.RaftMembership;
import io.berth.server.raft.RaftNode;
import io.berth.server.raft.RaftSettings;
import io.berth.server.raft.ReplicationWatchdog;
import io.berth.server.statemachine.Applier;
import io.berth.server.statemachine.FatalErrorHandler;
import io.berth.server.statemachine.KvStateMachine;
import io.berth.storage.RocksKvStore;
import io.berth.storage.StorageException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Berth member's lifecycle: check the volume, start Raft, and stop gracefully (a leader hands leadership to
 * its most caught-up follower first).
 *
 * <p>The member's volume ({@code dataDir}) holds the identity marker, the live database in {@code db/}
 * and the Raft log and snapshots in {@code raft/}. Nothing is ever kept outside it.
 */
public final class BerthServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BerthServer.class);

  /**
   * Everything a member needs to start.
   *
   * @param member     who this member is and who its peers are
   * @param dataDir    the member's volume
   * @param bindHost   the address the Raft port listens on ({@code 0.0.0.0} = all)
   * @param raft       Raft timing and log settings
   * @param fatal      what to do when the log can no longer be applied
   * @param probeTime  how long a member on an empty volume asks its peers whether the cluster already has data
   * @param handoff    how long a stopping leader waits for a follower to take over
   * @param adminPort  the admin HTTP port ({@code /healthz}, {@code /readyz}, {@code /metrics}); 0 picks a free one, -1 disables it
   * @param limits     request size limits on the client port
   * @param join       what a member outside the Raft configuration does: ask to be added, or wait for an operator
   */
  public record Options(MemberConfig member, Path dataDir, String bindHost, RaftSettings raft,
      FatalErrorHandler fatal, Duration probeTime, Duration handoff, int adminPort, Limits limits, JoinMode join) {
    public Options {
      Objects.requireNonNull(member, "member");
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(bindHost, "bindHost");
      Objects.requireNonNull(raft, "raft");
      Objects.requireNonNull(fatal, "fatal");
      Objects.requireNonNull(probeTime, "probeTime");
      Objects.requireNonNull(handoff, "handoff");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(join, "join");
    }

    public static Options of(MemberConfig member, Path dataDir) {
      return new Options(member, dataDir, "0.0.0.0", RaftSettings.defaults(), FatalErrorHandler.haltProcess(),
          Duration.ofSeconds(3), Duration.ofSeconds(3), 7381, Limits.defaults(), JoinMode.AUTO);
    }

    public Options withBindHost(String host) {
      return new Options(member, dataDir, host, raft, fatal, probeTime, handoff, adminPort, limits, join);
    }

    public Options withRaft(RaftSettings settings) {
      return new Options(member, dataDir, bindHost, settings, fatal, probeTime, handoff, adminPort, limits, join);
    }

    public Options withFatal(FatalErrorHandler handler) {
      return new Options(member, dataDir, bindHost, raft, handler, probeTime, handoff, adminPort, limits, join);
    }

    public Options withAdminPort(int port) {
      return new Options(member, dataDir, bindHost, raft, fatal, probeTime, handoff, port, limits, join);
    }

    public Options withLimits(Limits newLimits) {
      return new Options(member, dataDir, bindHost, raft, fatal, probeTime, handoff, adminPort, newLimits, join);
    }

    public Options withJoin(JoinMode mode) {
      return new Options(member, dataDir, bindHost, raft, fatal, probeTime, handoff, adminPort, limits, mode);
    }
  }

  private final Options options;
  private final RaftNode node;
  private final MemberHealth health;
  private final ClientApiServer api;
  private final AdminHttpServer admin;
  private final AutoJoin join;
  private final ReplicationWatchdog watchdog;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;

  private BerthServer(Options options, RaftNode node, MemberHealth health, ClientApiServer api,
      AdminHttpServer admin, AutoJoin join, ReplicationWatchdog watchdog) {
    this.join = join;
    this.watchdog = watchdog;
    this.options = options;
    this.node = node;
    this.health = health;
    this.api = api;
    this.admin = admin;
  }

  /**
   * Starts the member.
   *
   * @throws StorageException if the volume cannot be used (the message says why and what to do)
   * @throws IllegalStateException if the volume is empty while its marker names a member still in the
   *                               configuration
   */
  public static BerthServer start(Options options) throws IOException {
    final MemberConfig member = options.member();
    final Path dataDir = options.dataDir().toAbsolutePath();
    prepareVolume(dataDir);
    final MemberIdentity expected = member.identity(System.currentTimeMillis());
    final Optional<MemberIdentity> marker = IdentityMarker.read(dataDir);
    if (marker.isPresent()) {
      IdentityMarker.check(dataDir, marker.get(), expected);
    }
    final boolean raftState = hasRaftState(dataDir);
    final StartMode mode;
    if (raftState) {
      mode = StartMode.decide(marker.isPresent(), true, StartMode.ClusterState.UNKNOWN);
    } else if (!member.bootstrapVoter()) {
      mode = StartMode.REJOIN; // created by scaling up: never part of the bootstrap configuration
    } else {
      mode = StartMode.decide(marker.isPresent(), false, probeCluster(options, dataDir));
    }
    String peerId = marker.map(MemberIdentity::getPeerId).orElse(member.self().name());
    switch (mode) {
      case RESTART, BOOTSTRAP -> LOG.info("Volume {}: {}", dataDir, mode == StartMode.RESTART
          ? "recovering this member's Raft state" : "no Raft state and no peer holds data; starting fresh");
      case REFUSE -> throw new StorageException("volume " + dataDir + " holds Raft state but no identity marker ("
          + IdentityMarker.path(dataDir) + "), so whose data it is cannot be told; refusing to start. Mount this "
          + "member's own volume, or move the directory aside to start this member empty.");
      case REJOIN -> peerId = joiningPeerId(options, dataDir, marker);
      case WAIT -> throw new IllegalStateException("volume " + dataDir + " has no Raft state and it cannot be told"
          + " whether cluster " + member.clusterId() + " holds data; refusing to start as " + member.self().name()
          + " until the peers answer");
    }
    if (marker.isEmpty()) {
      final MemberIdentity identity = expected.toBuilder().setPeerId(peerId).build();
      IdentityMarker.write(dataDir, identity);
      LOG.info("Wrote identity marker for {} of cluster {} (group {}) to {}", identity.getPeerId(),
          identity.getClusterId(), identity.getGroupId(), dataDir);
    }

    // Metrics select this member's own Ratis registries by its peer id (a later incarnation has its own).
    final List<String> metricPeers = new ArrayList<>(member.peers().stream().map(PeerSpec::name).toList());
    metricPeers.add(peerId);
    final BerthMetrics metrics = new BerthMetrics(peerId, metricPeers);
    final KvStateMachine stateMachine = new KvStateMachine(dataDir.resolve("db"), new Applier(), options.fatal(),
        RocksKvStore::open, metrics);
    final RaftNode.Member self = new RaftNode.Member(peerId, member.self().peerAddress(),
        member.self().clientAddress());
    // A new log starts from the bootstrap voters; a member that joined later (another ordinal, or a later
    // incarnation) is not among them, and its configuration comes from the leader or from its recovered log.
    final boolean bootstrapId = member.peers().stream().anyMatch(p -> p.name().equals(self.id()));
    final List<RaftNode.Member> initial = mode == StartMode.REJOIN || !bootstrapId ? List.of()
        : raftMembers(member.peers());
    final RaftNode node = RaftNode.start(self, initial, member.groupId(), options.bindHost(),
        member.self().peerPort(), dataDir.resolve("raft"), stateMachine, options.raft());
    metrics.watch(node);
    final MemberHealth health = new MemberHealth(node);
    final ClientApiServer api;
    final AdminHttpServer admin;
    try {
      api = ClientApiServer.start(node, member, health, options.bindHost(), options.limits(),
          metrics.grpcInterceptor());
      admin = options.adminPort() < 0 ? null
          : new AdminHttpServer(options.bindHost(), options.adminPort(), health, metrics);
    } catch (IOException e) {
      health.close();
      node.close();
      throw new IOException("cannot listen on " + options.bindHost() + " (client port " + member.self().clientPort()
          + ", admin port " + options.adminPort() + "): " + e.getMessage() + "; is another member using the port?", e);
    }
    LOG.info("Started {} as Raft peer {}; client port {}, data {}", member.describe(), peerId, api.port(), dataDir);
    final AutoJoin join = startJoining(options, node);
    final ReplicationWatchdog watchdog = ReplicationWatchdog.start(node, metrics::replicationRepaired);
    return new BerthServer(options, node, health, api, admin, join, watchdog);
  }

  /**
   * The peer id a member outside the configuration joins under. A volume that already names an incarnation
   * that is not in the configuration keeps it (an earlier join was interrupted before any Raft state was
   * written); otherwise the member takes the next incarnation of its pod, so a pod that lost its volume never
   * acts as the voter it used to be.
   */
  private static String joiningPeerId(Options options, Path dataDir, Optional<MemberIdentity> marker) {
    final MemberConfig member = options.member();
    final String pod = member.self().name();
    final List<String> configured = AutoJoin.leaderConfiguration(clientAddresses(member), options.probeTime());
    if (configured.isEmpty()) {
      throw new IllegalStateException("volume " + dataDir + " has no Raft state and this pod is not a voter of"
          + " cluster " + member.clusterId() + ", but no leader told which peer ids are in use; refusing to start"
          + " (a reused id could vote twice). It is retried on restart; check that a majority of the members runs");
    }
    if (marker.isPresent()) {
      final String id = marker.get().getPeerId();
      if (configured.contains(id)) {
        throw new IllegalStateException("volume " + dataDir + " has no Raft state but names member " + id + ", which"
            + " is still in the configuration; refusing to act as " + id + " with no memory of its log or votes."
            + " Restore its Raft state, or remove " + IdentityMarker.path(dataDir) + " so that this pod joins as a"
            + " new incarnation");
      }
      return id;
    }
    final String id = Incarnation.next(pod, configured);
    LOG.warn("Volume {} is empty and this pod is not a member of the running cluster as {}; it joins as the new"
        + " member {} (it votes only once the leader has added it and it has caught up)", dataDir,
        configured.stream().filter(c -> Incarnation.of(c, pod)).findFirst().orElse(pod), id);
    return id;
  }

  private static AutoJoin startJoining(Options options, RaftNode node) {
    final RaftMembership membership = new RaftMembership(node);
    final RaftMembership.Configuration conf = membership.configuration();
    if (conf.isVoter(node.selfId())) {
      return null;
    }
    final String id = node.selfId();
    if (options.join() == JoinMode.MANUAL) {
      LOG.warn("Member {} is not a voter ({}); waiting for an operator: `berth member add {}`, then, once it has"
          + " caught up, `berth member promote {}`", id, conf.find(id).isPresent() ? "a listener" : "not in the"
          + " configuration", id, id);
      return null;
    }
    return AutoJoin.start(id, options.member().self().peerAddress(), options.member().self().clientAddress(),
        clientAddresses(options.member()), membership);
  }

  /** The client addresses of the bootstrap peers other than this member. */
  private static List<String> clientAddresses(MemberConfig member) {
    return member.others().stream().map(PeerSpec::clientAddress).toList();
  }

  private static void prepareVolume(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StorageException("cannot create data directory " + dataDir + ": " + e.getMessage()
          + "; check that the volume is mounted and writable by this user");
    }
    if (!Files.isDirectory(dataDir) || !Files.isWritable(dataDir)) {
      throw new StorageException("data directory " + dataDir + " is not a writable directory; check the volume "
          + "mount and its owner (the pod's fsGroup)");
    }
  }

  /** True when the volume holds a Raft log, snapshot or persisted term/vote (anything under {@code raft/}). */
  private static boolean hasRaftState(Path dataDir) throws IOException {
    final Path raft = dataDir.resolve("raft");
    if (!Files.isDirectory(raft)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(raft)) {
      return s.anyMatch(Files::isRegularFile);
    }
  }

  /**
   * Asks the running peers whether the cluster already holds data. A member that lost its volume must not vote
   * as its old self: its empty log would let a candidate that misses committed entries win. "Holds data" means a
   * peer has applied at least one client write (revision above 0); a cluster that only elected a leader has
   * nothing to lose yet, so a member that was merely slow to start on a fresh volume may still bootstrap.
   * Peers that do not answer within the probe time count as holding nothing: a member whose peers are all down
   * cannot tell, and starts (this is the one case DESIGN's rule cannot cover without an external record).
   */
  private static StartMode.ClusterState probeCluster(Options options, Path dataDir) {
    final MemberConfig member = options.member();
    if (member.others().isEmpty()) {
      return StartMode.ClusterState.NEW;
    }
    final Map<String, MemberState> states =
        PeerProbe.states(raftMembers(member.others()), member.groupId(), options.probeTime());
    final Optional<Map.Entry<String, MemberState>> withData = states.entrySet().stream()
        .filter(e -> e.getValue().getRevision() > 0)
        .findFirst();
    if (withData.isPresent()) {
      LOG.warn("Volume {} has no Raft state but {} is at revision {}", dataDir, withData.get().getKey(),
          withData.get().getValue().getRevision());
      return StartMode.ClusterState.EXISTS;
    }
    // A running cluster that holds no data yet, but whose configuration leaves this pod out (it was scaled up
    // before the first write): it must join, not bootstrap a configuration of its own.
    final List<String> answered = member.others().stream().filter(p -> states.containsKey(p.name()))
        .map(PeerSpec::clientAddress).toList();
    final List<String> configured = answered.isEmpty() ? List.of()
        : AutoJoin.leaderConfiguration(answered, options.probeTime());
    if (!configured.isEmpty() && configured.stream().noneMatch(id -> Incarnation.of(id, member.self().name()))) {
      LOG.info("Volume {} has no Raft state and the running configuration ({}) does not include {}; joining",
          dataDir, String.join(", ", configured), member.self().name());
      return StartMode.ClusterState.EXISTS;
    }
    LOG.info("Volume {} has no Raft state; {} of {} peers answered and none holds data", dataDir, states.size(),
        member.others().size());
    return StartMode.ClusterState.NEW;
  }

  private static List<RaftNode.Member> raftMembers(List<PeerSpec> peers) {
    return peers.stream().map(p -> new RaftNode.Member(p.name(), p.peerAddress())).toList();
  }

  public RaftNode raft() {
    return node;
  }

  /** The port the client API listens on. */
  public int clientPort() {
    return api.port();
  }

  /** The admin HTTP port, or -1 when disabled. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  public MemberConfig member() {
    return options.member();
  }

  /** Blocks until {@link #close()} finished. */
  public void awaitTermination() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops the member. A leader first transfers leadership to the most caught-up follower (bounded by the handoff
   * time) so clients see a planned handoff instead of an election timeout. Idempotent.
   */
  @Override
  public void close() throws IOException {
    stop(true);
  }

  /**
   * Stops the member; with {@code handOverLeadership} false a leader just goes away, and its peers see what
   * they would see after a crash (they elect a new leader after the election timeout). Idempotent.
   */
  public synchronized void stop(boolean handOverLeadership) throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    final String name = node.selfId();
    LOG.info("Member {} shutting down", name);
    if (join != null) {
      join.close();
    }
    watchdog.close();
    try {
      if (handOverLeadership && node.isLeader()) {
        final long start = System.nanoTime();
        final Optional<String> next = node.transferLeadership(options.handoff());
        LOG.info(next.map(n -> "Leadership handed to " + n + " in " + (System.nanoTime() - start) / 1_000_000 + " ms")
            .orElse("No follower took over leadership; stopping anyway"));
      }
    } catch (RuntimeException e) {
      LOG.warn("Leadership handoff failed: {}", e.toString());
    } finally {
      if (!handOverLeadership) {
        node.close(); // leave the group at once, as a crash would; calls in flight fail
      }
      api.close(); // on a graceful stop, calls in flight finish first
      if (admin != null) {
        admin.close();
      }
      health.close();
      if (handOverLeadership) {
        node.close();
      }
      stopped.countDown();
      LOG.info("Member {} stopped", name);
    }
  }
}
