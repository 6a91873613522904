package io.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
        "Proves that no acknowledged write is lost: faults, recorded histories and their checkers.",
        "'run' starts a local StatefulSet, drives workloads through faults while recording every call, heals, "
            + "and checks the history; 'check' checks any recorded history file."},
    subcommands = {ChaosRunCommand.class, ChaosCheckCommand.class},
    footer = {"", "Exit codes: 0 valid, 1 not valid, 2 usage error or malformed history, 4 the check could not "
        + "finish (never 0)."})
public final class ChaosCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
