package io.berth.cli;

import io.berth.server.identity.ConfigException;
import io.berth.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the top command, listing the subcommands. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Berth: a Raft-replicated key-value store for Kubernetes.",
    subcommands = {ServerCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 not found / check failed, 2 usage error, 3 cluster unavailable."})
public final class BerthCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: exit codes and one-line errors for every failure. */
  public static CommandLine commandLine() {
    final CommandLine cl = new CommandLine(new BerthCommand());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      line.getErr().println("berth " + line.getCommandName() + ": " + oneLine(ex));
      line.getErr().flush();
      return exitCodeOf(ex);
    });
    cl.setExitCodeExceptionMapper(BerthCommand::exitCodeOf);
    return cl;
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof ConfigException || ex instanceof IllegalArgumentException
        || ex instanceof CommandLine.ParameterException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    return ExitCodes.NOT_FOUND_OR_FAILED;
  }

  /** The message of {@code ex} on one line, without a stack trace. */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    final String prefix = t instanceof ConfigException || t instanceof StorageException || t instanceof CliException
        || t instanceof IllegalArgumentException || t instanceof IllegalStateException ? "" : t.getClass().getSimpleName() + ": ";
    return (prefix + message).replaceAll("\\s*\\R\\s*", " ");
  }
}
