package io.berth.server.metrics;

import io.berth.server.raft.RaftNode;
import io.berth.server.statemachine.StateMachineEvents;
import io.berth.storage.Schema;
import io.grpc.ServerInterceptor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Every metric of one member, in a registry of its own (several members may share a JVM in tests), written as
 * Prometheus text by {@link #writeText}. Names are part of the operator interface: the Grafana dashboard in
 * {@code k8s/observability} queries them, and a test checks that each name it uses is exported.
 *
 * <p>Created before Raft starts (the state machine reports leader changes and snapshots through
 * {@link StateMachineEvents}); {@link #watch} adds the gauges read from the running Raft node.
 */
public final class BerthMetrics implements StateMachineEvents {
  /** The RocksDB properties exported per column family, with the metric each becomes. */
  private static final List<String[]> ROCKSDB = List.of(
      new String[] {"rocksdb.total-sst-files-size", "berth_rocksdb_sst_files_bytes", "Size of all SST files"},
      new String[] {"rocksdb.estimate-live-data-size", "berth_rocksdb_live_data_bytes", "Estimated live data size"},
      new String[] {"rocksdb.cur-size-all-mem-tables", "berth_rocksdb_memtable_bytes", "Size of all memtables"},
      new String[] {"rocksdb.estimate-num-keys", "berth_rocksdb_estimated_keys", "Estimated number of keys"});

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final GrpcMetricsInterceptor grpc;
  private final Counter leaderChanges;
  private final Histogram snapshotInstall;
  private final Counter snapshotInstalls;
  private final Counter replicationRepairs;
  private final Histogram snapshotCreate;

  /**
   * @param self  this member's Raft peer id (selects its own Ratis registries)
   * @param peers every member's peer id (Ratis metrics named after a peer get a {@code peer} label instead)
   */
  public BerthMetrics(String self, Collection<String> peers) {
    JvmMetrics.builder().register(registry);
    registry.register(new RatisMetricsCollector(self, peers));
    grpc = new GrpcMetricsInterceptor(registry);
    leaderChanges = Counter.builder().name("berth_raft_leader_changes")
        .help("Leader changes this member saw (a new leader, or losing the leader)").register(registry);
    replicationRepairs = Counter.builder().name("berth_raft_replication_repairs")
        .help("Times this member, as leader, found a member of the configuration it no longer replicated to and "
            + "handed leadership over to restart replication (see ReplicationWatchdog)").register(registry);
    snapshotInstalls = Counter.builder().name("berth_snapshot_installs")
        .help("Snapshots installed on this member from the leader").register(registry);
    snapshotInstall = Histogram.builder().name("berth_snapshot_install_duration_seconds")
        .help("Time to switch to a snapshot installed from the leader, from all chunks received to the reopened "
            + "database").classicOnly().classicExponentialUpperBounds(0.01, 2, 14).register(registry);
    snapshotCreate = Histogram.builder().name("berth_snapshot_create_duration_seconds")
        .help("Time to take a snapshot (flush and checkpoint) of this member's database")
        .classicOnly().classicExponentialUpperBounds(0.01, 2, 14).register(registry);
  }

  /** Adds the gauges read from the running node: role, term, indexes and the database's sizes. */
  public void watch(RaftNode node) {
    gauge("berth_raft_is_leader", "1 while this member is the leader, else 0", node, n -> n.isLeader() ? 1 : 0);
    gauge("berth_raft_term", "This member's current Raft term", node, RaftNode::term);
    gauge("berth_raft_commit_index", "The highest log index this member knows to be committed", node,
        RaftNode::commitIndex);
    gauge("berth_raft_applied_index", "The highest log index this member's state machine applied", node,
        n -> n.stateMachine().getLastAppliedTermIndex().getIndex());
    gauge("berth_raft_role_seconds", "Time since this member's role last changed (for the leader: since its "
        + "election)", node, n -> n.division().getInfo().getRoleInfoProto().getRoleElapsedTimeMs() / 1000);
    final Map<String, Function<RaftNode, RaftNode.BatchStats>> kinds =
        Map.of("write", RaftNode::writeBatches, "read", RaftNode::readBatches);
    CounterWithCallback.builder().name("berth_raft_batches")
        .help("Raft requests this member sent for its clients: each carries a batch of client requests (divide "
            + "berth_raft_batched_requests_total by it for the mean batch size), by kind (write, read)")
        .labelNames("kind")
        .callback(cb -> kinds.forEach((kind, stats) -> cb.call(stats.apply(node).batches(), kind)))
        .register(registry);
    CounterWithCallback.builder().name("berth_raft_batched_requests")
        .help("Client requests this member sent to Raft in batches, by kind (write, read)")
        .labelNames("kind")
        .callback(cb -> kinds.forEach((kind, stats) -> cb.call(stats.apply(node).requests(), kind)))
        .register(registry);
    CounterWithCallback.builder().name("berth_raft_batches_stalled")
        .help("Batches still unanswered after the minimum election timeout, which then stopped holding back the "
            + "next batch (a leader change or an unreachable leader), by kind (write, read)")
        .labelNames("kind")
        .callback(cb -> kinds.forEach((kind, stats) -> cb.call(stats.apply(node).stalled(), kind)))
        .register(registry);
    GaugeWithCallback.builder().name("berth_raft_batch_waiting")
        .help("Client requests waiting for a batch slot on this member, by kind (write, read)")
        .labelNames("kind")
        .callback(cb -> kinds.forEach((kind, stats) -> cb.call(stats.apply(node).waiting(), kind)))
        .register(registry);
    for (String[] p : ROCKSDB) {
      GaugeWithCallback.builder().name(p[1]).help(p[2] + " (RocksDB " + p[0] + "), by column family")
          .labelNames("cf")
          .callback(cb -> {
            for (String cf : Schema.COLUMN_FAMILIES) {
              final OptionalLong v = node.stateMachine().storeProperty(cf, p[0]);
              if (v.isPresent()) {
                cb.call(v.getAsLong(), cf);
              }
            }
          })
          .register(registry);
    }
  }

  private void gauge(String name, String help, RaftNode node, ToLongFunction<RaftNode> read) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
      final long value;
      try {
        value = read.applyAsLong(node);
      } catch (RuntimeException e) {
        return; // the group is not running (starting or stopping): no sample rather than a wrong one
      }
      cb.call(value);
    }).register(registry);
  }

  /** Counts and times the calls of the services it wraps. */
  public ServerInterceptor grpcInterceptor() {
    return grpc;
  }

  @Override
  public void leaderChanged(String leader) {
    leaderChanges.inc();
  }

  /** Counts one repair by {@link io.berth.server.raft.ReplicationWatchdog}. */
  public void replicationRepaired() {
    replicationRepairs.inc();
  }

  @Override
  public void snapshotTaken(Duration took) {
    snapshotCreate.observe(took.toNanos() / 1e9);
  }

  @Override
  public void snapshotInstalled(Duration took) {
    snapshotInstalls.inc();
    snapshotInstall.observe(took.toNanos() / 1e9);
  }

  /** The Prometheus text format's content type. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in the Prometheus text format. */
  public void writeText(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
