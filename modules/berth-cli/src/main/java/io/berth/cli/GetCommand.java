package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.Consistency;
import io.berth.client.GetResult;
import io.berth.client.KeyValue;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth get KEY [--serializable]}: reads a key. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Reads a key.",
        "Reads KEY. Linearizable by default: the answer reflects every write acknowledged before the "
            + "command started, whichever member answers. --serializable reads the answering member's local "
            + "state instead: possibly stale, but it works without a leader."},
    footer = {
        "",
        "Output: the value alone on one line (nothing else, for scripts); with -o json "
            + "{\"key\", \"value\", \"createRevision\", \"modRevision\", \"version\", \"revision\"} (UTF-8 strings, "
            + "numbers).",
        "Exit codes: 0 found, 1 key not found (nothing on stdout), 2 usage error, 3 cluster unavailable."})
public final class GetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (1 to 4096 bytes).")
  String key;

  @Option(names = "--serializable", description = "Read the answering member's local state (may be stale).")
  boolean serializable;

  @Override
  public Integer call() {
    final byte[] k = Keys.utf8(key);
    try (BerthClient c = client.connect()) {
      final GetResult result = c.get(k, serializable ? Consistency.SERIALIZABLE : Consistency.LINEARIZABLE);
      final KeyValue kv = result.kv().orElseThrow(() ->
          new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "key '" + key + "' not found"));
      final Printer printer = output.printer(spec);
      if (printer.isJson()) {
        printer.json(KvJson.AtRevision.of(kv, result.revision()));
      } else {
        printer.line(kv.valueUtf8());
      }
    }
    return ExitCodes.OK;
  }
}
