package io.berth.cli;

import io.berth.cli.bench.BenchTarget;
import io.berth.cli.bench.EtcdTargets;
import io.berth.cli.bench.LoadRunner;
import io.berth.cli.bench.Workload;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth bench}: closed-loop load against Berth or etcd, with latency percentiles and throughput. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Measures throughput and latency under a closed-loop load.",
        "Keeps --in-flight requests outstanding (one thread each: the next request leaves when the previous "
            + "answer came) for --warmup, then measures for --duration. Reads are linearizable on both systems "
            + "(Berth's default; etcd Range with serializable=false). With --protocol etcd the same workload "
            + "goes to an etcd v3 member through etcd's own gRPC API, so both systems are measured by one "
            + "harness. Requests go to the first endpoint (Berth's client fails over to the others). A progress "
            + "line is printed to stderr every second."},
    footer = {
        "",
        "Examples:",
        "  berth bench --workload put --in-flight 64 --duration 30s",
        "  berth bench --workload mixed --read-ratio 0.9 --keys 100000",
        "  berth bench --protocol etcd --endpoints 127.0.0.1:2379 --workload get",
        "",
        "Output: the settings, then a table OP COUNT OPS/S P50 P90 P99 P99.9 MAX MEAN (milliseconds) and the "
            + "failures by kind. With -o json {\"protocol\", \"workload\", \"readRatio\", \"keys\", \"valueSize\", "
            + "\"inFlight\", \"warmupSeconds\", \"seconds\", \"throughput\", \"ops\":{\"put\"|\"get\":{\"count\", "
            + "\"throughput\", \"p50\", \"p90\", \"p99\", \"p999\", \"max\", \"mean\"}}, \"errors\":{KIND: N}, "
            + "\"errorCount\"}.",
        "Exit codes: 0 measured (failures are reported, not fatal), 2 usage error, 3 no request succeeded."})
public final class BenchCommand implements Callable<Integer> {
  /** The systems a bench can drive. */
  enum Protocol { berth, etcd }

  /** The workload names typed on the command line. */
  enum Kind { put, get, mixed, fill }

  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Option(names = "--protocol", paramLabel = "P", defaultValue = "berth",
      description = "The system under test: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). For etcd, "
          + "--endpoints names etcd's client address (usually port 2379).")
  Protocol protocol;

  @Option(names = "--workload", paramLabel = "W", defaultValue = "put",
      description = "put, get (linearizable), mixed (reads with probability --read-ratio), or fill (write every "
          + "key once, in order, then stop; ignores --duration and --warmup). Default ${DEFAULT-VALUE}.")
  Kind workload;

  @Option(names = "--read-ratio", paramLabel = "R", defaultValue = "0.5",
      description = "Share of reads in the mixed workload, 0 to 1 (default ${DEFAULT-VALUE}).")
  double readRatio;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "10000",
      description = "Size of the key space; each request picks a key uniformly (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "256",
      description = "Size of every written value (default ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(names = "--in-flight", paramLabel = "N", defaultValue = "16",
      description = "Requests outstanding at any time (default ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to measure (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "Load before measuring starts, not counted (default ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--prefill", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Before a workload that reads, write every key once so reads find values (default on; "
          + "--no-prefill to skip when the keys are already there).")
  boolean prefill;

  @Option(names = "--key-prefix", paramLabel = "P", defaultValue = "bench/",
      description = "Prefix of the benchmark's keys (default ${DEFAULT-VALUE}).")
  String keyPrefix;

  /** The -o json shape. */
  record Json(String protocol, String workload, Double readRatio, int keys, int valueSize, int inFlight,
      double warmupSeconds, double seconds, double throughput, Map<String, LoadRunner.OpStats> ops,
      Map<String, Long> errors, long errorCount) {}

  @Override
  public Integer call() throws InterruptedException {
    final Workload w;
    final LoadRunner.Settings settings;
    try {
      w = new Workload(Workload.Kind.valueOf(workload.name().toUpperCase(Locale.ROOT)), readRatio, keys, valueSize,
          keyPrefix);
      settings = new LoadRunner.Settings(inFlight, warmup, duration);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    final PrintWriter err = spec.commandLine().getErr();
    try (BenchTarget target = connect()) {
      if (prefill && w.reads()) {
        err.println("prefill: writing " + keys + " keys of " + valueSize + " bytes");
        err.flush();
        final LoadRunner.Result filled = LoadRunner.run(target,
            new Workload(Workload.Kind.FILL, 0, keys, valueSize, keyPrefix), settings, "prefill", line -> {
              err.println(line);
              err.flush();
            });
        if (filled.errorCount() > 0) {
          throw new CliException(ExitCodes.UNAVAILABLE, "prefill failed for " + filled.errorCount()
              + " of " + keys + " keys (" + filled.errors() + "); check the cluster with berth status");
        }
      }
      final LoadRunner.Result result = LoadRunner.run(target, w, settings, "measure", line -> {
        err.println(line);
        err.flush();
      });
      print(result);
      if (result.ops().isEmpty()) {
        throw new CliException(ExitCodes.UNAVAILABLE, "no request succeeded during the measurement ("
            + result.errors() + "); check that " + client.effectiveEndpoints() + " is a running "
            + protocol + " endpoint");
      }
    }
    return ExitCodes.OK;
  }

  private BenchTarget connect() {
    if (protocol == Protocol.etcd) {
      final List<String> endpoints = new ArrayList<>();
      for (String e : client.effectiveEndpoints().split(",")) {
        if (!e.isBlank()) {
          endpoints.add(e.strip());
        }
      }
      if (endpoints.isEmpty()) {
        throw new CliException(ExitCodes.USAGE, "--endpoints is empty: give etcd's client address, e.g. "
            + "127.0.0.1:2379");
      }
      return EtcdTargets.connect(endpoints.get(0), client.timeout);
    }
    return io.berth.cli.bench.BerthTargets.of(client.connect());
  }

  private void print(LoadRunner.Result r) {
    final Printer printer = output.printer(spec);
    if (printer.isJson()) {
      printer.json(new Json(protocol.name(), workload.name(), workload == Kind.mixed ? readRatio : null, keys,
          valueSize, inFlight, workload == Kind.fill ? 0 : warmup.toMillis() / 1000.0, r.seconds(), r.throughput(),
          r.ops(), r.errors(), r.errorCount()));
      return;
    }
    printer.line(String.format(Locale.ROOT, "%s %s%s, %d in flight, %d-byte values, %d keys: %.1f s measured%s",
        protocol, workload, workload == Kind.mixed ? " (read ratio " + readRatio + ")" : "", inFlight, valueSize,
        keys, r.seconds(), workload == Kind.fill ? "" : " after " + warmup.toMillis() / 1000.0 + " s warm-up"));
    final List<List<String>> rows = new ArrayList<>();
    r.ops().forEach((op, s) -> rows.add(List.of(op, Long.toString(s.count()), fmt(s.throughput()), fmt(s.p50()),
        fmt(s.p90()), fmt(s.p99()), fmt(s.p999()), fmt(s.max()), fmt(s.mean()))));
    printer.table(List.of("OP", "COUNT", "OPS/S", "P50", "P90", "P99", "P99.9", "MAX", "MEAN"), rows);
    printer.line(String.format(Locale.ROOT, "throughput %.1f ops/s; latencies in ms", r.throughput()));
    final Map<String, Long> errors = new LinkedHashMap<>(r.errors());
    printer.line(errors.isEmpty() ? "failures: none" : "failures: " + errors);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }
}
