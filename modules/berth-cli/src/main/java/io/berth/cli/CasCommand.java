package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.CasResult;
import io.berth.client.Expect;
import io.berth.client.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth cas KEY --expect-version V VALUE}: compare-and-set (or compare-and-delete). */
@Command(
    name = "cas",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Compare-and-set: writes or deletes a key only if it is as expected.",
        "Sets KEY to VALUE (or, with --delete, deletes it) only if one field of the key matches: its "
            + "version (number of puts since creation; 0 = the key must not exist), its mod revision, or its "
            + "value. Decided in log order, so two cas from the same old state cannot both succeed; applied at "
            + "most once when retried."},
    footer = {
        "",
        "Output: 'OK'; with -o json {\"succeeded\", \"revision\", \"kv\"}, kv being {\"key\", \"value\", "
            + "\"createRevision\", \"modRevision\", \"version\"} after the write (null after a delete), or as "
            + "compared when the comparison failed (null if the key did not exist). The JSON is printed in "
            + "both cases.",
        "Exit codes: 0 swapped, 1 comparison failed (stderr shows the key's current version and value), "
            + "2 usage error, 3 cluster unavailable (the cas may or may not have been applied).",
        "",
        "Example: v=$(berth get -o json counter | jq .version); berth cas counter --expect-version \"$v\" 42"})
public final class CasCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (1 to 4096 bytes).")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The new value (or use --delete).")
  String value;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Expectation expect;

  @Option(names = "--delete", description = "Delete the key instead of setting a VALUE.")
  boolean delete;

  /** Exactly one expectation. */
  static final class Expectation {
    @Option(names = "--expect-version", paramLabel = "V", required = true,
        description = "The key's version must be V (0: the key must not exist).")
    Long version;

    @Option(names = "--expect-mod-revision", paramLabel = "R", required = true,
        description = "The key's last modification must be at revision R.")
    Long modRevision;

    @Option(names = "--expect-value", paramLabel = "S", required = true,
        description = "The key must exist and hold exactly S.")
    String value;

    Expect toExpect() {
      if (version != null) {
        return Expect.version(version);
      }
      if (modRevision != null) {
        return Expect.modRevision(modRevision);
      }
      return Expect.value(value);
    }

    String describe() {
      if (version != null) {
        return "version " + version;
      }
      if (modRevision != null) {
        return "mod revision " + modRevision;
      }
      return "value '" + value + "'";
    }
  }

  record Json(boolean succeeded, long revision, KvJson kv) {}

  @Override
  public Integer call() {
    if (delete == (value != null)) {
      throw new ParameterException(spec.commandLine(), delete
          ? "give either VALUE or --delete, not both" : "give the new VALUE, or --delete");
    }
    final byte[] k = Keys.utf8(key);
    final Expect condition = expect.toExpect();
    try (BerthClient c = client.connect()) {
      final CasResult result = delete
          ? c.compareAndDelete(k, condition)
          : c.compareAndSet(k, condition, value.getBytes(StandardCharsets.UTF_8));
      final Printer printer = output.printer(spec);
      if (printer.isJson()) {
        printer.json(new Json(result.succeeded(), result.revision(),
            result.kv().map(kv -> KvJson.of(kv, true)).orElse(null)));
      } else if (result.succeeded()) {
        printer.line("OK");
      }
      if (!result.succeeded()) {
        throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "compare failed: expected " + expect.describe()
            + ", but " + result.kv().map(CasCommand::current).orElse("key '" + key + "' does not exist"));
      }
    }
    return ExitCodes.OK;
  }

  private static String current(KeyValue kv) {
    String v = kv.valueUtf8();
    if (v.length() > 200) {
      v = v.substring(0, 200) + "...";
    }
    return "key '" + kv.keyUtf8() + "' is at version " + kv.version() + ", mod revision " + kv.modRevision()
        + ", value '" + Printer.cell(v) + "'";
  }
}
