package io.berth.testkit.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Each pod in its own network namespace {@code berth-<id>-<pod>}, joined by a veth pair to a bridge
 * {@code bq<id>} that carries {@code 10.a.b.1/24} on the host side, so the host (probes, clients) reaches every
 * pod and pods reach each other only through the bridge. Partitions are iptables DROP rules inside the pods'
 * namespaces, so the host's own firewall is never touched. Everything is named after a random cluster id and
 * removed by {@link #close()} (and by {@link #cleanUp(String)} if the owner died).
 */
final class NamespaceNetwork implements PodNetwork {
  private final String id;
  private final String bridge;
  private final String prefix;
  private final Map<String, String> ipOf = new HashMap<>();
  private final Map<String, String> vethOf = new HashMap<>();
  private int nextHost = 10;

  private NamespaceNetwork(String id, String prefix) {
    this.id = id;
    this.bridge = "bq" + id;
    this.prefix = prefix;
  }

  static NamespaceNetwork create() {
    requireTools();
    final ThreadLocalRandom r = ThreadLocalRandom.current();
    final String id = String.format("%04x", r.nextInt(0x10000));
    final String routes = run(List.of("ip", "-o", "-4", "route", "show"));
    String prefix;
    do {
      prefix = "10." + r.nextInt(200, 250) + "." + r.nextInt(1, 255) + ".";
    } while (routes.contains(prefix));
    final NamespaceNetwork n = new NamespaceNetwork(id, prefix);
    try {
      run(List.of("ip", "link", "add", n.bridge, "type", "bridge"));
      // Bridged traffic must not be judged by the host's FORWARD chain (br_netfilter, Docker's DROP policy).
      runQuietly(List.of("ip", "link", "set", n.bridge, "type", "bridge", "nf_call_iptables", "0"));
      run(List.of("ip", "addr", "add", prefix + "1/24", "dev", n.bridge));
      run(List.of("ip", "link", "set", n.bridge, "up"));
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  private static void requireTools() {
    final String uid = runQuietly(List.of("id", "-u")).trim();
    if (!"0".equals(uid)) {
      throw new IllegalStateException("pods in network namespaces need root (this is uid " + uid + "); use the "
          + "loopback network, which runs no network faults");
    }
    for (String tool : List.of("ip", "iptables")) {
      if (runQuietly(List.of("sh", "-c", "command -v " + tool)).isBlank()) {
        throw new IllegalStateException("pods in network namespaces need '" + tool + "' (apt-get install "
            + (tool.equals("ip") ? "iproute2" : "iptables") + ")");
      }
    }
  }

  @Override
  public String mode() {
    return "namespaces";
  }

  private String netns(String pod) {
    return "berth-" + id + "-" + pod;
  }

  @Override
  public synchronized String attach(String pod, List<Integer> ports) {
    if (nextHost > 250) {
      throw new IllegalStateException("no pod IP left in " + prefix + "0/24");
    }
    // Interfaces are named after the host number, new with every address: a veth pair being destroyed with an
    // old namespace may still hold its name for a moment.
    final int host = nextHost++;
    final String ip = prefix + host;
    final String ns = netns(pod);
    final String hostSide = "vb" + id + "h" + host;
    final String podSide = "vb" + id + "p" + host;
    run(List.of("ip", "netns", "add", ns));
    try {
      run(List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", podSide));
      run(List.of("ip", "link", "set", hostSide, "master", bridge, "up"));
      run(List.of("ip", "link", "set", podSide, "netns", ns));
      run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
      run(List.of("ip", "-n", ns, "addr", "add", ip + "/24", "dev", podSide));
      run(List.of("ip", "-n", ns, "link", "set", podSide, "up"));
      run(List.of("ip", "-n", ns, "route", "add", "default", "via", prefix + "1"));
    } catch (RuntimeException e) {
      runQuietly(List.of("ip", "netns", "del", ns));
      runQuietly(List.of("ip", "link", "del", hostSide));
      throw e;
    }
    ipOf.put(pod, ip);
    vethOf.put(pod, hostSide);
    return ip;
  }

  @Override
  public synchronized void detach(String pod) {
    if (ipOf.remove(pod) != null) {
      runQuietly(List.of("ip", "link", "del", vethOf.remove(pod)));
      runQuietly(List.of("ip", "netns", "del", netns(pod)));
    }
  }

  @Override
  public List<String> wrap(String pod, List<String> command) {
    // `ip netns exec` enters the namespace and execs the command: the PID stays the member's.
    final List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", netns(pod)));
    out.addAll(command);
    return out;
  }

  @Override
  public boolean bindsPodIp() {
    return false;
  }

  @Override
  public synchronized void partition(Collection<Set<String>> components, Map<String, String> podIps) {
    heal();
    for (Map.Entry<String, String> self : podIps.entrySet()) {
      if (!ipOf.containsKey(self.getKey())) {
        continue;
      }
      for (Map.Entry<String, String> other : podIps.entrySet()) {
        if (self.getKey().equals(other.getKey()) || connected(components, self.getKey(), other.getKey())) {
          continue;
        }
        final String ns = netns(self.getKey());
        run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "INPUT", "-s", other.getValue(), "-j", "DROP"));
        run(List.of("ip", "netns", "exec", ns, "iptables", "-A", "OUTPUT", "-d", other.getValue(), "-j", "DROP"));
      }
    }
  }

  private static boolean connected(Collection<Set<String>> components, String a, String b) {
    return components.stream().anyMatch(c -> c.contains(a) && c.contains(b));
  }

  @Override
  public synchronized void heal() {
    for (String pod : ipOf.keySet()) {
      run(List.of("ip", "netns", "exec", netns(pod), "iptables", "-F"));
    }
  }

  @Override
  public Map<String, String> describe() {
    final Map<String, String> d = new LinkedHashMap<>();
    d.put("mode", mode());
    d.put("id", id);
    d.put("bridge", bridge);
    d.put("subnet", prefix + "0/24");
    return d;
  }

  @Override
  public synchronized void close() {
    for (String pod : new ArrayList<>(ipOf.keySet())) {
      detach(pod);
    }
    cleanUp(id);
  }

  /** Removes every namespace and the bridge of network {@code id}, whoever made them. */
  static void cleanUp(String id) {
    for (String line : runQuietly(List.of("ip", "netns", "list")).split("\n")) {
      final String name = line.split(" ")[0].trim();
      if (name.startsWith("berth-" + id + "-")) {
        runQuietly(List.of("ip", "netns", "del", name));
      }
    }
    runQuietly(List.of("ip", "link", "del", "bq" + id));
  }

  private static String run(List<String> command) {
    final Result r = exec(command);
    if (r.status != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (status " + r.status + "): "
          + r.output.trim());
    }
    return r.output;
  }

  private static String runQuietly(List<String> command) {
    return exec(command).output;
  }

  private record Result(int status, String output) {}

  private static Result exec(List<String> command) {
    try {
      final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      final String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
