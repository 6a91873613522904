package io.berth.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.client.BerthClient;
import io.berth.client.Consistency;
import io.berth.server.LocalRaftCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes {@code /metrics} from the members of a running 3-member cluster after some client traffic. */
class MetricsEndpointTest {
  private static final int WRITES = 120;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @TempDir
  static Path dir;
  static LocalRaftCluster cluster;
  static List<PrometheusText> scrapes = new ArrayList<>();
  static String leaderName;

  @BeforeAll
  static void startClusterAndLoadIt() throws Exception {
    // Small snapshot threshold, so every member takes a snapshot during the test.
    cluster = new LocalRaftCluster(dir, 3, LocalRaftCluster.testSettings().withSnapshots(50, 10, 1 << 20))
        .startAll();
    final int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    leaderName = cluster.name(leader);
    final List<String> endpoints = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      endpoints.add("127.0.0.1:" + cluster.member(i).clientPort());
    }
    try (BerthClient client = BerthClient.builder().endpoints(endpoints).build()) {
      for (int i = 0; i < WRITES; i++) {
        client.put("k" + i, "v" + i);
      }
      assertTrue(client.get("k7", Consistency.LINEARIZABLE).found());
      assertTrue(!client.get("missing", Consistency.LINEARIZABLE).found());
    }
    cluster.awaitApplied(cluster.member(leader).raft().commitIndex(), Duration.ofSeconds(60));
    for (int i = 0; i < cluster.size(); i++) {
      scrapes.add(scrape(cluster.member(i).adminPort()));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static PrometheusText scrape(int port) throws Exception {
    final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        response.headers().toString());
    return PrometheusText.parse(response.body());
  }

  @Test
  void exactlyOneMemberReportsItselfLeaderAndAllAgreeOnTheTerm() {
    assertEquals(1.0, scrapes.stream().mapToDouble(s -> s.value("berth_raft_is_leader", Map.of())).sum());
    final double term = scrapes.get(0).value("berth_raft_term", Map.of());
    assertTrue(term >= 1, "term " + term);
    scrapes.forEach(s -> assertEquals(term, s.value("berth_raft_term", Map.of())));
    scrapes.forEach(s -> assertTrue(s.value("berth_raft_leader_changes_total", Map.of()) >= 1));
    scrapes.forEach(s -> assertTrue(s.value("berth_raft_role_seconds", Map.of()) >= 0));
    scrapes.forEach(s -> assertEquals(0.0, s.value("berth_raft_replication_repairs_total", Map.of()),
        "a healthy leader replicates to every member without repairs"));
  }

  @Test
  void indexesCoverTheWrites() {
    for (PrometheusText s : scrapes) {
      final double commit = s.value("berth_raft_commit_index", Map.of());
      final double applied = s.value("berth_raft_applied_index", Map.of());
      assertTrue(applied >= WRITES, "applied " + applied);
      assertTrue(commit >= applied, "commit " + commit + " < applied " + applied);
    }
  }

  @Test
  void everyClientWriteAndReadIsCountedInTheRaftBatches() {
    final double writes = scrapes.stream()
        .mapToDouble(s -> s.value("berth_raft_batched_requests_total", Map.of("kind", "write"))).sum();
    final double writeBatches = scrapes.stream()
        .mapToDouble(s -> s.value("berth_raft_batches_total", Map.of("kind", "write"))).sum();
    assertEquals(WRITES, writes, "one client at a time: every put went to Raft, once");
    assertTrue(writeBatches >= 1 && writeBatches <= writes, "batches " + writeBatches);
    assertEquals(2, scrapes.stream()
        .mapToDouble(s -> s.value("berth_raft_batched_requests_total", Map.of("kind", "read"))).sum(),
        "the two linearizable gets");
    scrapes.forEach(s -> assertEquals(0, s.value("berth_raft_batch_waiting", Map.of("kind", "write"))));
  }

  @Test
  void grpcCallsAreCountedAndTimedByMethodAndCode() {
    final Map<String, String> puts = Map.of("method", "berth.v1.KV/Put", "code", "OK");
    final double counted = scrapes.stream().mapToDouble(s -> s.valueOr("berth_grpc_requests_total", puts, 0)).sum();
    final double timed = scrapes.stream()
        .mapToDouble(s -> s.valueOr("berth_grpc_request_duration_seconds_count", puts, 0)).sum();
    assertEquals(WRITES, counted);
    assertEquals(WRITES, timed);
    final double inf = scrapes.stream().mapToDouble(s -> s.valueOr("berth_grpc_request_duration_seconds_bucket",
        Map.of("method", "berth.v1.KV/Put", "code", "OK", "le", "+Inf"), 0)).sum();
    assertEquals(WRITES, inf);
    final double gets = scrapes.stream().mapToDouble(s -> s.valueOr("berth_grpc_requests_total",
        Map.of("method", "berth.v1.KV/Get", "code", "OK"), 0)).sum();
    assertTrue(gets >= 2, "linearizable gets counted: " + gets);
  }

  @Test
  void snapshotsAndRocksDbSizesAreExported() {
    for (PrometheusText s : scrapes) {
      assertTrue(s.value("berth_snapshot_create_duration_seconds_count", Map.of()) >= 1, "a snapshot was taken");
      assertEquals(0, s.value("berth_snapshot_installs_total", Map.of()));
      assertTrue(s.value("berth_rocksdb_memtable_bytes", Map.of("cf", "kv")) > 0);
      assertTrue(s.value("berth_rocksdb_estimated_keys", Map.of("cf", "kv")) >= 0);
      assertTrue(s.has("berth_rocksdb_sst_files_bytes") && s.has("berth_rocksdb_live_data_bytes"));
    }
  }

  @Test
  void ratisAndJvmMetricsAreExportedForThisMemberOnly() {
    for (int i = 0; i < scrapes.size(); i++) {
      final PrometheusText s = scrapes.get(i);
      final int member = i;
      final Set<String> divisions = s.labelValues("division");
      assertTrue(!divisions.isEmpty(), "Ratis metrics with a division label");
      final String self = cluster.name(member) + "@";
      assertTrue(divisions.stream().allMatch(d -> d.equals(cluster.name(member)) || d.startsWith(self)),
          "divisions " + divisions);
      assertTrue(s.has("ratis_log_worker_flushTime_seconds"), "Ratis log flush timer");
      assertTrue(s.value("process_resident_memory_bytes", Map.of()) > 0);
      assertTrue(s.has("jvm_memory_used_bytes"));
    }
  }

  @Test
  void theLeaderExportsEachFollowersMatchIndexWithAPeerLabel() {
    final int leader = List.of("berth-0", "berth-1", "berth-2").indexOf(leaderName);
    for (int i = 0; i < cluster.size(); i++) {
      if (i != leader) {
        final double match = scrapes.get(leader).value("ratis_log_appender_follower_match_index",
            Map.of("peer", cluster.name(i)));
        assertTrue(match >= WRITES, cluster.name(i) + " match index " + match);
      }
    }
  }

  @Test
  void everyMetricTheGrafanaDashboardQueriesIsExported() throws Exception {
    final String dashboard = Files.readString(Path.of("../../k8s/observability/grafana-dashboard.json"));
    final Matcher expr = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
    final Pattern metric = Pattern.compile("\\b((?:berth|ratis|process|jvm)_[A-Za-z0-9_]+)");
    final Set<String> queried = new TreeSet<>();
    while (expr.find()) {
      final Matcher m = metric.matcher(expr.group(1));
      while (m.find()) {
        queried.add(m.group(1));
      }
    }
    assertTrue(queried.size() >= 8, "the dashboard queries berth's metrics: " + queried);
    for (String name : queried) {
      assertTrue(scrapes.stream().anyMatch(s -> s.has(name)),
          "the dashboard queries " + name + " but /metrics does not export it");
    }
  }
}
