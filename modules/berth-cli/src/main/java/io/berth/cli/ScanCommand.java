package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.Consistency;
import io.berth.client.KeyValue;
import io.berth.client.ScanOptions;
import io.berth.client.ScanResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code berth scan --prefix P [--limit N]} (or {@code --from S [--to E]}): reads keys in byte order. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Lists keys by prefix or range.",
        "Reads the keys starting with --prefix (an empty prefix: every key), or the keys in [--from, "
            + "--to), in byte order. Linearizable by default, like get; --serializable reads the answering "
            + "member's local state."},
    footer = {
        "",
        "Output: a KEY VALUE table (KEY only with --keys-only; just the number with --count-only), then "
            + "a note when --limit cut it short. With -o json "
            + "{\"revision\", \"count\", \"more\", \"kvs\":[{\"key\", \"value\", "
            + "\"createRevision\", \"modRevision\", \"version\"}]}: count is the number of keys in the whole "
            + "range, more is true when --limit cut kvs short, kvs is empty with --count-only and its entries "
            + "have no value with --keys-only.",
        "Exit codes: 0 success (also when nothing matched), 2 usage error, 3 cluster unavailable."})
public final class ScanCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Option(names = "--prefix", paramLabel = "P", description = "Keys starting with P.")
  String prefix;

  @Option(names = "--from", paramLabel = "S", description = "Keys from S (inclusive); instead of --prefix.")
  String from;

  @Option(names = "--to", paramLabel = "E", description = "Keys up to E (exclusive); default: to the last key.")
  String to;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
      description = "At most N keys (default 0: no limit).")
  long limit;

  @Option(names = "--keys-only", description = "Keys without their values.")
  boolean keysOnly;

  @Option(names = "--count-only", description = "Only the number of keys.")
  boolean countOnly;

  @Option(names = "--serializable", description = "Read the answering member's local state (may be stale).")
  boolean serializable;

  record Json(long revision, long count, boolean more, List<KvJson> kvs) {}

  @Override
  public Integer call() {
    if (prefix != null && (from != null || to != null)) {
      throw new ParameterException(spec.commandLine(), "use either --prefix or --from/--to, not both");
    }
    if (prefix == null && from == null && to == null) {
      throw new ParameterException(spec.commandLine(), "give --prefix P, or a range --from S [--to E]");
    }
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 0 (0 = no limit), got " + limit);
    }
    ScanOptions options = ScanOptions.defaults().withLimit(limit)
        .withConsistency(serializable ? Consistency.SERIALIZABLE : Consistency.LINEARIZABLE);
    if (keysOnly) {
      options = options.withKeysOnly();
    }
    if (countOnly) {
      options = options.withCountOnly();
    }
    try (BerthClient c = client.connect()) {
      final ScanResult result = prefix != null
          ? c.scanPrefix(utf8(prefix), options)
          : c.scanRange(utf8(from == null ? "" : from), utf8(to == null ? "" : to), options);
      print(result, output.printer(spec));
    }
    return ExitCodes.OK;
  }

  private void print(ScanResult result, Printer printer) {
    if (printer.isJson()) {
      printer.json(new Json(result.revision(), result.count(), result.more(),
          result.kvs().stream().map(kv -> KvJson.of(kv, !keysOnly)).toList()));
      return;
    }
    if (countOnly) {
      printer.line(Long.toString(result.count()));
      return;
    }
    if (result.kvs().isEmpty()) {
      printer.line("(no keys)");
    } else if (keysOnly) {
      printer.table(List.of("KEY"), result.kvs().stream().map(kv -> List.of(Printer.cell(kv.keyUtf8()))).toList());
    } else {
      printer.table(List.of("KEY", "VALUE"), result.kvs().stream().map(ScanCommand::row).toList());
    }
    if (result.more()) {
      printer.line("(" + result.kvs().size() + " of " + result.count() + " keys; raise --limit to see more)");
    }
  }

  private static List<String> row(KeyValue kv) {
    return List.of(Printer.cell(kv.keyUtf8()), Printer.cell(kv.valueUtf8()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
