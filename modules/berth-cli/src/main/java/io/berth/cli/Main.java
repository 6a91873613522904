package io.berth.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point of the {@code berth} command. */
public final class Main {
  /** Ratis' shaded gRPC logs through java.util.logging; held here so the level sticks (JUL keeps weak refs). */
  private static final Logger SHADED_GRPC = Logger.getLogger("org.apache.ratis.thirdparty");

  private Main() {}

  public static void main(String[] args) {
    SHADED_GRPC.setLevel(Level.WARNING);
    System.exit(BerthCommand.commandLine().execute(args));
  }
}
