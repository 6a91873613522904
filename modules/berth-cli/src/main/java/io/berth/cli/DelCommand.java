package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.DeleteResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth del KEY}: deletes a key. */
@Command(
    name = "del",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Deletes a key.",
        "Deletes KEY. Deleting a missing key succeeds and changes nothing. Linearizable, and applied at "
            + "most once even when retried on another member."},
    footer = {
        "",
        "Output: the number of keys deleted, 1 or 0; with -o json {\"key\", \"deleted\", \"revision\"}.",
        "Exit codes: 0 done (whether or not the key existed), 2 usage error, 3 cluster unavailable (the "
            + "delete may or may not have been applied)."})
public final class DelCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (1 to 4096 bytes).")
  String key;

  record Json(String key, long deleted, long revision) {}

  @Override
  public Integer call() {
    final byte[] k = Keys.utf8(key);
    try (BerthClient c = client.connect()) {
      final DeleteResult result = c.delete(k);
      final long deleted = result.deleted() ? 1 : 0;
      final Printer printer = output.printer(spec);
      if (printer.isJson()) {
        printer.json(new Json(key, deleted, result.revision()));
      } else {
        printer.line(Long.toString(deleted));
      }
    }
    return ExitCodes.OK;
  }
}
