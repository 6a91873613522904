package io.berth.cli;

import io.berth.client.BerthException;
import io.berth.client.ClusterUnavailableException;
import io.berth.client.InvalidRequestException;
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
    subcommands = {ServerCommand.class, PutCommand.class, GetCommand.class, DelCommand.class, ScanCommand.class,
        CasCommand.class, StatusCommand.class, MemberCommand.class, BenchCommand.class, DemoCommand.class,
        LocalCommand.class, ChaosCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 not found / check failed, 2 usage error, 3 cluster unavailable, "
        + "4 check could not finish."})
public final class BerthCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--endpoints", paramLabel = "H:P[,H:P...]",
      description = "Members' client addresses for the client commands (may also follow the command name; "
          + "env BERTH_ENDPOINTS, default 127.0.0.1:7379).")
  String endpoints;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: exit codes and one-line errors for every failure. */
  public static CommandLine commandLine() {
    final CommandLine cl = new CommandLine(new BerthCommand());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + oneLine(ex) + hint(ex));
      line.getErr().flush();
      return exitCodeOf(ex);
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      final CommandLine line = ex.getCommandLine();
      final String name = line.getCommandSpec().qualifiedName();
      line.getErr().println(name + ": " + oneLine(ex) + " (see '" + name + " --help')");
      line.getErr().flush();
      return ExitCodes.USAGE;
    });
    cl.setExitCodeExceptionMapper(BerthCommand::exitCodeOf);
    return cl;
  }

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof ConfigException || ex instanceof IllegalArgumentException
        || ex instanceof CommandLine.ParameterException || ex instanceof InvalidRequestException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    if (ex instanceof ClusterUnavailableException) {
      return ExitCodes.UNAVAILABLE;
    }
    return ExitCodes.NOT_FOUND_OR_FAILED;
  }

  /** What to do, for the failures where that is not obvious from the message. */
  static String hint(Throwable ex) {
    if (ex instanceof ClusterUnavailableException) {
      return "; check --endpoints (or BERTH_ENDPOINTS) and that the members are running";
    }
    if (ex instanceof BerthException b && b.code().equals("UNIMPLEMENTED")) {
      return "; check that --endpoints lists the members' client ports (7379 by default)";
    }
    return "";
  }

  /** The message of {@code ex} on one line, without a stack trace. */
  static String oneLine(Throwable ex) {
    Throwable t = ex;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    final String prefix = t instanceof ConfigException || t instanceof StorageException || t instanceof CliException
        || t instanceof IllegalArgumentException || t instanceof IllegalStateException
        || t instanceof BerthException || t instanceof CommandLine.ParameterException
        ? "" : t.getClass().getSimpleName() + ": ";
    return (prefix + message).replaceAll("\\s*\\R\\s*", " ");
  }
}
