package io.berth.testkit.local;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How pods get their IPs and what stands between them. {@link #loopback()} gives each pod an address on the
 * host's loopback (no root needed; no network faults); {@link #namespaces()} puts each pod in its own network
 * namespace on a bridge, as a node's pod network does, so traffic between pods can be cut with iptables.
 */
public interface PodNetwork extends AutoCloseable {

  /** Pod IPs on loopback, {@code 127.a.b.x}. */
  static PodNetwork loopback() {
    return new LoopbackNetwork();
  }

  /**
   * One network namespace per pod on a bridge of its own ({@code 10.a.b.0/24}). Needs root, {@code ip} and
   * {@code iptables}.
   *
   * @throws IllegalStateException saying what is missing
   */
  static PodNetwork namespaces() {
    return NamespaceNetwork.create();
  }

  /** {@code loopback} or {@code namespaces}. */
  String mode();

  /** Gives {@code pod} a fresh IP (and its namespace); every call returns a new address. */
  String attach(String pod, List<Integer> ports);

  /** Takes the pod's IP (and its namespace) away. */
  void detach(String pod);

  /** {@code command} as it must run to be inside the pod's network. */
  List<String> wrap(String pod, List<String> command);

  /** Whether the pod must be told to bind its own IP (loopback: every pod shares the host's interfaces). */
  boolean bindsPodIp();

  /**
   * Cuts traffic between pods that share no component: a pod may sit in several components (a bridge node).
   * Pods missing from every component are cut off from all. Replaces any earlier partition.
   *
   * @param podIps the current IP of every pod
   * @throws UnsupportedOperationException in loopback mode
   */
  void partition(Collection<Set<String>> components, Map<String, String> podIps);

  /** Lifts every partition. */
  void heal();

  /** What to record about this network in {@code state.json} so leftovers can be found. */
  Map<String, String> describe();

  /** Removes everything this network created. */
  @Override
  void close();
}
