package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.PutResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth put KEY VALUE}: sets a key. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Sets a key to a value.",
        "Sets KEY to VALUE (both UTF-8), creating the key if absent. Linearizable: once 'OK' is printed "
            + "every read sees the write. Retried on another member when one fails; a retried put is applied "
            + "at most once."},
    footer = {
        "",
        "Output: 'OK'; with -o json "
            + "{\"key\", \"value\", \"createRevision\", \"modRevision\", \"version\", \"revision\"}.",
        "Exit codes: 0 written, 2 usage error or rejected request (e.g. value too large), 3 cluster "
            + "unavailable (the put may or may not have been applied)."})
public final class PutCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (1 to 4096 bytes).")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE", description = "The value (may be empty).")
  String value;

  @Override
  public Integer call() {
    final byte[] k = Keys.utf8(key);
    try (BerthClient c = client.connect()) {
      final PutResult result = c.put(k, value.getBytes(StandardCharsets.UTF_8));
      final Printer printer = output.printer(spec);
      if (printer.isJson()) {
        printer.json(KvJson.AtRevision.of(result.kv(), result.revision()));
      } else {
        printer.line("OK");
      }
    }
    return ExitCodes.OK;
  }
}
