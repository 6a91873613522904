package io.berth.server.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The process environment identity resolution reads: environment variables and the host name. Injected so
 * tests drive it with a map instead of the real process.
 *
 * <p>A variable that is set but blank counts as unset (Kubernetes manifests often template optional values
 * to the empty string).
 *
 * @param variables returns a variable's value, or {@code null} when it is unset
 * @param hostname  returns this machine's host name (short or fully qualified), or {@code null} when unknown
 */
public record Environment(Function<String, String> variables, Supplier<String> hostname) {
  public Environment {
    Objects.requireNonNull(variables, "variables");
    Objects.requireNonNull(hostname, "hostname");
  }

  /** The real process: {@link System#getenv(String)}, and the host name from {@code HOSTNAME} or the OS. */
  public static Environment system() {
    return new Environment(System::getenv, Environment::systemHostname);
  }

  /** A fixed environment, for tests and embedders. {@code hostname} may be {@code null}. */
  public static Environment of(Map<String, String> variables, String hostname) {
    Map<String, String> copy = Map.copyOf(variables);
    return new Environment(copy::get, () -> hostname);
  }

  /** The variable's value, trimmed; empty when unset or blank. */
  public Optional<String> get(String name) {
    return nonBlank(variables.apply(name));
  }

  /**
   * The short host name: the part before the first '.', so {@code berth-0.berth-peers.ns.svc.cluster.local}
   * gives {@code berth-0}. Empty when unknown.
   */
  public Optional<String> shortHostname() {
    return nonBlank(hostname.get()).map(h -> {
      int dot = h.indexOf('.');
      return dot < 0 ? h : h.substring(0, dot);
    });
  }

  private static Optional<String> nonBlank(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }

  // Kubernetes sets HOSTNAME to the pod name in every container. The JDK has no plain gethostname(), and
  // getLocalHost() also looks the name up, which can fail in a container whose own name does not resolve yet.
  private static String systemHostname() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
