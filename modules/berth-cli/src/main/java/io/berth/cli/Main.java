package io.berth.cli;

import java.security.Security;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point of the {@code berth} command. */
public final class Main {
  /** Ratis' shaded gRPC logs through java.util.logging; held here so the level sticks (JUL keeps weak refs). */
  private static final Logger SHADED_GRPC = Logger.getLogger("org.apache.ratis.thirdparty");

  private Main() {}

  /**
   * gRPC's DNS resolver (plain and Ratis' shaded copy) keeps an answer for this many seconds, read from the
   * system property {@value}; its default of 30 s would leave a peer rescheduled with a new IP unreachable for
   * up to half a minute. The JVM's own cache (sun.net.inetaddr.ttl) still applies underneath.
   */
  static final String GRPC_DNS_TTL = "networkaddress.cache.ttl";

  public static void main(String[] args) {
    SHADED_GRPC.setLevel(Level.WARNING);
    if (System.getProperty(GRPC_DNS_TTL) == null) {
      System.setProperty(GRPC_DNS_TTL, "5");
    }
    // The JDK's java.security sets networkaddress.cache.negative.ttl=10, which silently beats the
    // -Dsun.net.inetaddr.negative.ttl flag the launcher and the manifest pass: a peer whose DNS record is briefly
    // gone while it is rescheduled would stay unresolvable for 10 s. Honour the flag. (Before any lookup.)
    final String negative = System.getProperty("sun.net.inetaddr.negative.ttl");
    if (negative != null) {
      Security.setProperty("networkaddress.cache.negative.ttl", negative);
    }
    System.exit(BerthCommand.commandLine().execute(args));
  }
}
