package io.berth.cli;

import io.berth.testkit.check.HistoryChecker;
import io.berth.testkit.check.HistoryChecker.Report;
import io.berth.testkit.check.MalformedHistoryException;
import io.berth.testkit.check.Verdict;
import io.berth.testkit.history.HistoryFile;
import io.berth.testkit.history.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Checks a recorded history: linearizability of every key's read/write/cas operations (each key a "
            + "register) and the set workload's adds against its final read-all.",
        "History: JSON Lines, one event per line: {\"process\":3,\"type\":\"invoke|ok|fail|info\","
            + "\"f\":\"read|write|cas|add|read-all\",\"key\":\"k7\",\"value\":...,\"time\":NANOS} (cas value "
            + "[expected,new]). 'info' means the call may or may not have taken effect, at any time after its "
            + "invocation; 'fail' means it did not happen."},
    footer = {"", "Exit codes: 0 linearizable and no set anomaly, 1 not (the first operation that cannot be "
        + "linearized is printed), 2 usage error or malformed history (with its line number), 4 the check could "
        + "not finish within --time-limit (never 0)."})
public final class ChaosCheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--history", required = true, paramLabel = "FILE", description = "The history file to check.")
  Path history;

  @Option(names = "--time-limit", defaultValue = "60s", converter = DurationConverter.class,
      description = "How long the search may take before the verdict is 'unknown' (default 60s).")
  Duration timeLimit;

  @Mixin
  OutputOptions output;

  /** The file line of each event read. */
  private final List<Integer> lines = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    final List<Op> ops = read(history);
    final Report report;
    try {
      report = new HistoryChecker(timeLimit).check(ops);
    } catch (MalformedHistoryException e) {
      throw new CliException(ExitCodes.USAGE, history + ":" + lines.get(e.event()) + ": " + e.getMessage());
    }
    print(output.printer(spec), report);
    return exitCode(report.verdict());
  }

  /** 0 valid, 1 invalid, 4 unknown. */
  static int exitCode(Verdict v) {
    return switch (v) {
      case valid -> ExitCodes.OK;
      case invalid -> ExitCodes.NOT_FOUND_OR_FAILED;
      case unknown -> ExitCodes.CHECK_UNKNOWN;
    };
  }

  static void print(Printer out, Report report) {
    if (out.isJson()) {
      out.json(report.toJson());
      return;
    }
    report.describe().forEach(out::line);
    out.line("counts: " + report.counts() + "; checked in " + report.elapsedMillis() + " ms");
    out.line(switch (report.verdict()) {
      case valid -> "RESULT: valid (linearizable; no acknowledged element lost)";
      case invalid -> "RESULT: NOT VALID";
      case unknown -> "RESULT: UNKNOWN (the check could not finish; this is not a pass)";
    });
  }

  private List<Op> read(Path file) throws IOException {
    final List<String> text;
    try {
      text = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, "no history file " + file + "; give the history.jsonl of a chaos run");
    }
    final List<Op> ops = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      if (text.get(i).isBlank()) {
        continue;
      }
      try {
        ops.add(HistoryFile.parse(text.get(i)));
      } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new CliException(ExitCodes.USAGE, file + ":" + (i + 1) + ": malformed event: "
            + BerthCommand.oneLine(e));
      }
      lines.add(i + 1);
    }
    return ops;
  }
}
