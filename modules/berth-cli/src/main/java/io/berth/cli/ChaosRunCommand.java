package io.berth.cli;

import io.berth.testkit.chaos.ChaosOptions;
import io.berth.testkit.chaos.ChaosRun;
import io.berth.testkit.chaos.Fault;
import io.berth.testkit.chaos.Nemesis;
import io.berth.testkit.check.Verdict;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.PodNetwork;
import io.berth.testkit.local.StatefulSetSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs workloads against a local StatefulSet through faults, records every call, and checks the history.",
        "Starts the project's StatefulSet (k8s/base) as real 'berth server' processes (as 'berth demo' does), "
            + "runs the per-key register workload (linearizable reads, writes, compare-and-sets) and the "
            + "unique-add set workload, and injects one fault at a time from --nemesis: each is held for "
            + "--fault-length, healed, and the cluster's health is checked before and after. At the end every "
            + "fault is healed, final reads are taken, the replicas' applied index and content hash are compared, "
            + "and the history is checked for linearizability and lost, unexpected or duplicated elements.",
        "Fault families: kill-leader, kill-random, kill-minority (SIGKILL, held down until healed), restart "
            + "(SIGKILL, restarted at once), pause-leader, pause-followers (SIGSTOP, then SIGCONT), reschedule "
            + "(pod deleted and recreated: new IP, same volume), rolling-restart, lose-volume (a member's volume "
            + "erased: it refuses to vote as its old self and stays out; the majority keeps serving). "
            + "Network partitions are not part of this command yet.",
        "Writes DIR/history.jsonl (check it again with 'berth chaos check'), DIR/result.json and DIR/report.html "
            + "(timeline of throughput and latency with the fault windows shaded)."},
    footer = {"", "Exit codes: 0 valid, 1 a violation was found, 2 usage error, 4 nothing was proven (the check "
        + "could not finish, a fault had no effect, or the cluster did not recover; see result.json 'problems')."})
public final class ChaosRunCommand implements Callable<Integer> {
  enum WorkloadChoice { register, set, both }

  @Spec
  CommandSpec spec;

  @Option(names = "--nemesis", required = true, paramLabel = "LIST",
      description = "Comma-separated fault families, or 'all' (see above).")
  String nemesis;

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the workloads run under faults (default 60s); each family runs at least once even "
          + "if that takes longer; setup and checking come on top.")
  Duration duration;

  @Option(names = "--seed", description = "Seeds fault order, victims and operations (default: the clock; printed).")
  Long seed;

  @Option(names = "--report", required = true, paramLabel = "DIR", description = "Where the history and reports go.")
  Path report;

  @Option(names = "--workload", defaultValue = "both",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  WorkloadChoice workload;

  @Option(names = "--fault-length", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long each fault is held before it is healed (default 5s).")
  Duration faultLength;

  @Option(names = "--quiet", defaultValue = "5s", converter = DurationConverter.class,
      description = "Fault-free time before the first fault and between faults (default 5s).")
  Duration quiet;

  @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long a pod may take to come back or a check to finish (default 120s).")
  Duration timeout;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the pods' volumes and logs go (default: a new temporary directory, removed at the end).")
  Path dir;

  @Option(names = "--keep", description = "Keep the pods' directory (volumes, logs) after the run.")
  boolean keep;

  @Mixin
  ManifestsOption manifests;

  @Override
  public Integer call() throws IOException {
    final List<Fault> requested = Nemesis.parse(nemesis);
    final PrintWriter out = spec.commandLine().getOut();
    // Partitions need every pod in its own network namespace (root); without, say so and leave them out.
    PodNetwork network = PodNetwork.loopback();
    String networkFaults = "not requested";
    List<Fault> faults = requested;
    if (requested.stream().anyMatch(Nemesis::needsNetworkNamespaces)) {
      try {
        network = PodNetwork.namespaces();
        networkFaults = "run";
      } catch (IllegalStateException e) {
        networkFaults = "not run: " + e.getMessage();
        out.println("chaos run: network faults were NOT run: " + e.getMessage());
        faults = requested.stream().filter(f -> !Nemesis.needsNetworkNamespaces(f)).toList();
        if (faults.isEmpty()) {
          throw new CliException(ExitCodes.USAGE, "every requested fault is a network partition, and those need "
              + "root: " + e.getMessage());
        }
      }
    }
    final long s = seed != null ? seed : System.currentTimeMillis();
    final ChaosOptions options = new ChaosOptions(faults, duration, s, workload != WorkloadChoice.set,
        workload != WorkloadChoice.register, faultLength, quiet, timeout, line -> {
          out.println(line);
          out.flush();
        });
    final StatefulSetSpec sts = manifests.load();
    final boolean temporary = dir == null;
    final Path work = temporary ? Files.createTempDirectory("berth-chaos-") : dir;
    out.println("chaos run: nemesis " + nemesis + ", seed " + s + ", " + duration.toSeconds() + " s, pods under "
        + work);
    final LocalStatefulSet cluster = LocalStatefulSet.builder(work, sts).network(network).build();
    final Thread cleanup = new Thread(cluster::close, "berth-chaos-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    final Map<String, Object> result;
    try {
      result = new ChaosRun(cluster, options, report).note("networkFaults", networkFaults).run();
    } finally {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
      if (temporary && !keep) {
        LocalStatefulSet.deleteTree(work);
      }
    }
    summarize(out, result);
    final Verdict verdict = Verdict.valueOf(String.valueOf(result.get("verdict")));
    return ChaosCheckCommand.exitCode(verdict);
  }

  @SuppressWarnings("unchecked")
  private void summarize(PrintWriter out, Map<String, Object> r) {
    out.println();
    out.println("calls                  " + r.get("counts"));
    out.println("throughput             " + r.get("opsPerSec") + " successful calls/s");
    out.println("failover               " + r.get("failoverMillis") + " ms (leader faults: fault to first "
        + "acknowledged write)");
    out.println("longest unavailability " + r.get("longestUnavailabilityMillis") + " ms");
    for (Map<String, Object> f : (List<Map<String, Object>>) r.get("faults")) {
      out.printf("  %-16s %6.1fs-%6.1fs ops/s %s / %s / %s%s%n", f.get("name"),
          ((Number) f.get("startMillis")).doubleValue() / 1000, ((Number) f.get("endMillis")).doubleValue() / 1000,
          f.get("opsPerSecBefore"), f.get("opsPerSecDuring"), f.get("opsPerSecAfter"),
          f.containsKey("failoverMillis") ? ", failover " + f.get("failoverMillis") + " ms" : "");
    }
    ((List<String>) r.get("violations")).forEach(v -> out.println("VIOLATION: " + v));
    ((List<String>) r.get("problems")).forEach(p -> out.println("problem: " + p));
    out.println("report                 " + report.toAbsolutePath().resolve("report.html"));
    out.println("RESULT: " + switch (String.valueOf(r.get("verdict"))) {
      case "valid" -> "valid (linearizable, no acknowledged write lost, replicas identical)";
      case "invalid" -> "NOT VALID";
      default -> "UNKNOWN (nothing was proven; this is not a pass)";
    });
    out.flush();
  }
}
