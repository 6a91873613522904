package io.berth.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code -o table|json} option of commands with structured output (a picocli mixin). */
public final class OutputOptions {
  /** Lower-case constants: they are the words typed on the command line and listed in --help. */
  enum Format { table, json }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  boolean isJson() {
    return format == Format.json;
  }

  Printer printer(CommandSpec spec) {
    return new Printer(spec.commandLine().getOut(), format == Format.json);
  }
}
