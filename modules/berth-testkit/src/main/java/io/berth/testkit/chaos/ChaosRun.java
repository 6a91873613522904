package io.berth.testkit.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.testkit.check.HistoryChecker;
import io.berth.testkit.check.Verdict;
import io.berth.testkit.history.HistoryFile;
import io.berth.testkit.history.Op;
import io.berth.testkit.local.LocalStatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One chaos run on a local StatefulSet: start it and check its health, run the workloads, inject faults one at a
 * time (every family in turn, in a seeded order; each held for a while, healed, the cluster's health checked before and after, then a quiet spell), stop
 * the workloads, make sure every fault is healed, take the final reads, compare the replicas (applied index and
 * content hash, once they have all applied the same log), and check the history.
 *
 * <p>Writes {@code history.jsonl} as the run goes, then {@code result.json} and {@code report.html} into the
 * report directory. The verdict: invalid when the checker or the replica comparison finds a violation; unknown
 * when nothing was proven (the check could not finish, a fault had no effect, the cluster did not recover);
 * valid otherwise.
 */
public final class ChaosRun {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final LocalStatefulSet cluster;
  private final ChaosOptions options;
  private final Path reportDir;
  private final List<String> problems = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();

  public ChaosRun(LocalStatefulSet cluster, ChaosOptions options, Path reportDir) {
    this.cluster = cluster;
    this.options = options;
    this.reportDir = reportDir;
  }

  private final Map<String, Object> notes = new LinkedHashMap<>();

  /** Adds {@code key} to {@code result.json} (for facts about the run its options do not hold). */
  public ChaosRun note(String key, Object value) {
    notes.put(key, value);
    return this;
  }

  /** Runs it; the cluster must not be up yet. Returns the result also written to {@code result.json}. */
  public Map<String, Object> run() throws IOException {
    Files.createDirectories(reportDir);
    final Random random = new Random(options.seed());
    final Map<String, Object> result = new LinkedHashMap<>();
    final List<Map<String, Object>> faults = new ArrayList<>();
    try (HistoryFile file = HistoryFile.create(reportDir.resolve("history.jsonl"));
        ClusterProbe probe = new ClusterProbe(cluster)) {
      final Recorder recorder = new Recorder(file, System::nanoTime);
      final FaultContext ctx = new FaultContext(cluster, probe, random, options.timeout());
      log("starting " + cluster.spec().replicas() + " pods");
      cluster.up(options.timeout());
      result.put("healthBefore", ctx.awaitHealthy());
      final Clients clients = new Clients(cluster::endpoints);
      final List<Workload> workloads = new ArrayList<>();
      if (options.register()) {
        workloads.add(new RegisterWorkload(recorder, clients, options.seed(), 4, 3));
      }
      if (options.set()) {
        workloads.add(new SetWorkload(recorder, clients, options.seed(), 2));
      }
      final long start = recorder.now();
      final long stop;
      try {
        workloads.forEach(Workload::start);
        log("workloads running: " + workloads.stream().map(Workload::name).toList());
        final long end = start + options.duration().toNanos();
        Pause.millis(options.quiet().toMillis());
        // Every family in turn, in a seeded order; each at least once, even if that takes longer than planned.
        final List<Fault> order = new ArrayList<>(options.faults());
        Collections.shuffle(order, random);
        for (int i = 0; i < order.size() || recorder.now() + options.faultLength().toNanos() < end; i++) {
          if (!ctx.lost().isEmpty()) {
            // A member that lost its volume has not voted again. Any further fault would be a second failure of
            // three, which no Raft cluster survives: that proves nothing about berth, so stop here (unknown).
            problems.add("pod(s) " + ctx.lost() + " lost their volume and did not rejoin as voters; no further"
                + " fault was injected");
            break;
          }
          final Fault fault = order.get(i % order.size());
          faults.add(inject(fault, ctx, recorder, start));
          Pause.millis(Math.min(options.quiet().toMillis(), Math.max(0, (end - recorder.now()) / 1_000_000)));
        }
      } finally {
        stop = recorder.now();
        log("stopping workloads");
        workloads.forEach(w -> w.stop(Clients.RETRY_BUDGET.toMillis() * 2));
      }
      result.put("finalHealth", finalHealth(ctx));
      log("final reads");
      final long readDeadline = System.nanoTime() + options.timeout().toNanos();
      workloads.forEach(w -> w.finalReads(readDeadline));
      result.put("replicas", compareReplicas(ctx));
      log("checking the history");
      final List<Op> history = recorder.events();
      final HistoryChecker.Report report = new HistoryChecker(options.timeout()).check(history);
      report.describe().forEach(l -> log("  " + l));
      final Timeline timeline = Timeline.of(history);
      figures(result, faults, timeline, start, stop);
      Verdict verdict = report.verdict();
      if (!violations.isEmpty()) {
        verdict = Verdict.invalid;
      } else if (!problems.isEmpty()) {
        verdict = verdict.and(Verdict.unknown);
      }
      final Map<String, Object> head = new LinkedHashMap<>();
      head.put("valid", verdict == Verdict.valid);
      head.put("verdict", verdict.name());
      head.put("seed", options.seed());
      head.put("nemesis", options.faults().stream().map(Fault::name).distinct().toList());
      head.put("durationSeconds", options.duration().toSeconds());
      head.put("network", cluster.networkMode());
      head.putAll(notes);
      head.put("counts", report.counts());
      head.put("violations", violations);
      head.put("problems", problems);
      head.putAll(result);
      head.put("faults", faults);
      head.put("check", report.toJson());
      JSON.writeValue(reportDir.resolve("result.json").toFile(), head);
      Files.writeString(reportDir.resolve("report.html"), ReportHtml.render(head, timeline, faults, start, stop));
      return head;
    }
  }

  private Map<String, Object> inject(Fault fault, FaultContext ctx, Recorder recorder, long origin) {
    final Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", fault.name());
    try {
      f.put("healthBefore", ctx.awaitHealthy());
    } catch (IllegalStateException e) {
      problems.add("before " + fault.name() + ": the cluster was not healthy: " + e.getMessage());
      f.put("healthBefore", Map.of("healthy", false, "error", e.getMessage()));
    }
    final long t0 = recorder.now();
    f.put("startNanos", t0);
    f.put("startMillis", (t0 - origin) / 1_000_000);
    log("fault " + fault.name() + " at " + (t0 - origin) / 1_000_000 + " ms");
    try {
      final Map<String, Object> started = fault.start(ctx);
      f.put("start", started);
      log("  " + started);
      Pause.millis(options.faultLength().toMillis());
      final long healAt = recorder.now();
      final Map<String, Object> healed = fault.heal(ctx);
      final long t1 = recorder.now();
      f.put("heal", healed);
      f.put("healStartMillis", (healAt - origin) / 1_000_000);
      f.put("endNanos", t1);
      f.put("endMillis", (t1 - origin) / 1_000_000);
      log("  healed after " + (t1 - healAt) / 1_000_000 + " ms: " + healed);
      final boolean effective = Boolean.TRUE.equals(started.get("effective"))
          && Boolean.TRUE.equals(healed.get("effective"));
      f.put("effective", effective);
      if (!effective) {
        problems.add(fault.name() + " had no visible effect (see its evidence): nothing was proven by it");
      }
    } catch (RuntimeException e) {
      problems.add(fault.name() + " failed: " + e.getMessage());
      f.put("error", String.valueOf(e.getMessage()));
      f.put("effective", false);
      f.putIfAbsent("endNanos", recorder.now());
      f.putIfAbsent("endMillis", (recorder.now() - origin) / 1_000_000);
    }
    try {
      f.put("healthAfter", ctx.awaitHealthy());
    } catch (IllegalStateException e) {
      problems.add("after " + fault.name() + ": the cluster did not recover: " + e.getMessage());
      f.put("healthAfter", Map.of("healthy", false, "error", e.getMessage()));
    }
    return f;
  }

  /** Every fault healed: each live pod Ready and running, none paused. */
  private Map<String, Object> finalHealth(FaultContext ctx) {
    final Map<String, Object> h = new LinkedHashMap<>();
    try {
      h.putAll(ctx.awaitHealthy());
    } catch (IllegalStateException e) {
      problems.add("at the end the cluster was not healthy: " + e.getMessage());
      h.put("healthy", false);
      h.put("error", e.getMessage());
    }
    final boolean anyPaused = cluster.status().stream().anyMatch(p -> p.paused());
    if (anyPaused) {
      problems.add("a pod was still paused at the end");
    }
    h.put("pods", ctx.snapshot());
    h.put("lostForGood", List.copyOf(ctx.lost()));
    return h;
  }

  /**
   * Waits until every live member has applied the same index (no writes run any more), then compares their
   * revisions and content hashes; the index is read again afterwards so the hashes are of one log prefix.
   */
  private Map<String, Object> compareReplicas(FaultContext ctx) {
    final Map<String, Object> r = new LinkedHashMap<>();
    final long deadline = System.nanoTime() + options.timeout().toNanos();
    List<ClusterProbe.Member> members = List.of();
    while (System.nanoTime() < deadline) {
      final List<ClusterProbe.Member> before = live(ctx, ctx.probe().members(false));
      if (before.stream().allMatch(ClusterProbe.Member::answered)
          && before.stream().map(ClusterProbe.Member::appliedIndex).distinct().count() == 1) {
        members = live(ctx, ctx.probe().members(true));
        final List<ClusterProbe.Member> after = live(ctx, ctx.probe().members(false));
        if (members.stream().allMatch(ClusterProbe.Member::answered)
            && after.stream().map(ClusterProbe.Member::appliedIndex).distinct().count() == 1
            && after.get(0).appliedIndex() == before.get(0).appliedIndex()) {
          break;
        }
      }
      members = List.of();
      Pause.millis(250);
    }
    if (members.isEmpty()) {
      final List<ClusterProbe.Member> now = live(ctx, ctx.probe().members(false));
      problems.add("the replicas did not reach the same applied index within " + options.timeout().toSeconds()
          + " s; their state was not compared: " + now.stream().map(m -> m.pod() + " " + m.role() + " term "
          + m.term() + " applied " + m.appliedIndex()).toList());
      r.put("compared", false);
      r.put("members", now);
      return r;
    }
    final boolean match = members.stream().map(m -> m.revision() + "/" + m.contentHash()).distinct().count() == 1;
    r.put("compared", true);
    r.put("match", match);
    r.put("appliedIndex", members.get(0).appliedIndex());
    r.put("members", members);
    if (!match) {
      violations.add("replicas differ at applied index " + members.get(0).appliedIndex() + ": " + members);
    }
    log("replicas at applied index " + members.get(0).appliedIndex() + ": " + (match ? "identical" : "DIFFER")
        + " (" + members.size() + " members)");
    return r;
  }

  private static List<ClusterProbe.Member> live(FaultContext ctx, List<ClusterProbe.Member> all) {
    return all.stream().filter(m -> !ctx.lost().contains(m.pod())).toList();
  }

  /**
   * Throughput around each fault, failover times (from the moment the fault was injected to the first
   * acknowledged write invoked after it), the longest stretch without a successful call.
   */
  @SuppressWarnings("unchecked")
  private void figures(Map<String, Object> result, List<Map<String, Object>> faults, Timeline timeline, long start,
      long stop) {
    final long window = 5_000_000_000L;
    final List<Long> failovers = new ArrayList<>();
    for (Map<String, Object> f : faults) {
      final long s = (Long) f.get("startNanos");
      final long e = (Long) f.get("endNanos");
      f.put("opsPerSecBefore", round(timeline.okPerSecond(Math.max(start, s - window), s)));
      f.put("opsPerSecDuring", round(timeline.okPerSecond(s, e)));
      f.put("opsPerSecAfter", round(timeline.okPerSecond(e, Math.min(stop, e + window))));
      final long injected = f.get("start") instanceof Map<?, ?> m && m.get(ProcessFaults.INJECTED) instanceof Long t
          ? t : s;
      if (f.get("start") instanceof Map<?, ?> m && m.containsKey(ProcessFaults.INJECTED)) {
        ((Map<String, Object>) m).remove(ProcessFaults.INJECTED);
        f.put("injectedMillis", (injected - start) / 1_000_000);
      }
      final long firstWrite = timeline.firstOkWriteAfter(injected);
      f.put("firstAcknowledgedWriteMillis", firstWrite);
      final long[] gap = timeline.longestGap(injected, Math.min(stop, e + window));
      f.put("longestUnavailabilityMillis", (gap[1] - gap[0]) / 1_000_000);
      if (hitLeader(f) && firstWrite >= 0) {
        f.put("failoverMillis", firstWrite);
        failovers.add(firstWrite);
      }
      f.remove("startNanos");
      f.remove("endNanos");
    }
    final long[] gap = timeline.longestGap(start, stop);
    result.put("opsPerSec", round(timeline.okPerSecond(start, stop)));
    result.put("failoverMillis", failovers);
    result.put("longestUnavailabilityMillis", (gap[1] - gap[0]) / 1_000_000);
    result.put("longestUnavailability", Map.of("fromMillis", (gap[0] - start) / 1_000_000,
        "toMillis", (gap[1] - start) / 1_000_000));
  }

  /** Whether a fault took down or froze the leader (its evidence names a victim whose role was LEADER). */
  @SuppressWarnings("unchecked")
  private static boolean hitLeader(Map<String, Object> f) {
    if (!(f.get("start") instanceof Map<?, ?> start)) {
      return false;
    }
    if ("LEADER".equals(start.get("role"))) {
      return true;
    }
    return start.values().stream().anyMatch(v -> v instanceof Map<?, ?> m && "LEADER".equals(m.get("role")));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private void log(String line) {
    options.log().accept(line);
  }
}
