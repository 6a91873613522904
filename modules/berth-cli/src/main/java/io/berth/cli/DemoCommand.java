package io.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.testkit.demo.DemoReport;
import io.berth.testkit.demo.DemoScenario;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.StatefulSetSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Proves leader re-election and data survival on a local StatefulSet.",
        "Runs the project's StatefulSet manifest (k8s/base) as real 'berth server' processes on this machine, "
            + "each pod with its own loopback IP and per-pod DNS name, then: writes keys, kills the leader with "
            + "SIGKILL and times the first write acknowledged under the new leader, deletes a pod so it is "
            + "rescheduled with a new IP (same name, same volume), reads every key back from that pod's own "
            + "volume, and times until every peer reaches it at its new IP. Cleans up everything it started."},
    footer = {
        "",
        "Report (--report FILE): {\"ok\", \"leaderBefore\", \"leaderAfter\", \"failoverMillis\", \"rescheduledPod\", "
            + "\"ipBefore\", \"ipAfter\", \"peerReconnectMillis\", \"keysWritten\", \"keysVerified\", \"totalMillis\", "
            + "\"failures\"}.",
        "Exit codes: 0 every guarantee held, 1 one broke (the message says which), 2 usage error."})
public final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec
  CommandSpec spec;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "1000", description = "Keys to write before the faults (default 1000).")
  int keys;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
  Path report;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where the pods' volumes and logs go (default: a new temporary directory, removed at the end).")
  Path dir;

  @Option(names = "--keep", description = "Keep the directory (volumes, logs) after the demo.")
  boolean keep;

  @Mixin
  ManifestsOption manifests;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long one step may take before the demo gives up (default 120s).")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    final PrintWriter out = spec.commandLine().getOut();
    final StatefulSetSpec sts = manifests.load();
    final boolean temporary = dir == null;
    final Path work = temporary ? Files.createTempDirectory("berth-demo-") : dir;
    out.println("Berth demo: a " + sts.replicas() + "-pod StatefulSet on this machine, from " + sts.source());
    out.println("  (pod logs: " + work.resolve("logs") + ")");
    final AtomicReference<DemoScenario> scenario = new AtomicReference<>();
    final LocalStatefulSet cluster = LocalStatefulSet.builder(work, sts)
        .events(e -> {
          final DemoScenario s = scenario.get();
          if (s != null && !e.contains("probe error")) {
            s.say("  . " + e);
          }
        })
        .build();
    final Thread cleanup = new Thread(() -> cluster.close(), "berth-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    final DemoReport result;
    try {
      scenario.set(new DemoScenario(cluster, out, keys, timeout, System.console() != null));
      result = scenario.get().run();
      out.println();
      out.println("Cleaning up: stopping every pod");
      scenario.set(null);
    } finally {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
      if (temporary && !keep) {
        LocalStatefulSet.deleteTree(work);
      }
    }
    if (temporary && keep) {
      out.println("Kept " + work);
    }
    printSummary(out, result);
    if (report != null) {
      JSON.writeValue(report.toFile(), result);
      out.println("Report: " + report.toAbsolutePath());
    }
    if (!result.ok()) {
      throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "a guarantee broke: " + result.failures().get(0));
    }
    return ExitCodes.OK;
  }

  private static void printSummary(PrintWriter out, DemoReport r) {
    out.println();
    out.printf("  leader killed          %s -> new leader %s%n", r.leaderBefore(), r.leaderAfter());
    out.printf("  failover               %d ms (SIGKILL to first acknowledged write)%n", r.failoverMillis());
    out.printf("  rescheduled pod        %s: IP %s -> %s, same name and volume%n", r.rescheduledPod(),
        r.ipBefore(), r.ipAfter());
    out.printf("  peers reconnected      %d ms after it started%n", r.peerReconnectMillis());
    out.printf("  keys                   %d written, %d verified on the rescheduled pod's own volume%n",
        r.keysWritten(), r.keysVerified());
    out.printf("  total                  %.1f s%n", r.totalMillis() / 1000.0);
    out.println(r.ok() ? "RESULT: every guarantee held" : "RESULT: FAILED: " + String.join("; ", r.failures()));
    out.flush();
  }
}
