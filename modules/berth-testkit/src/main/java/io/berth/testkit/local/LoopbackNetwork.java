package io.berth.testkit.local;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pod IPs on the host's loopback: nothing to set up, nothing to tear down, no network faults. */
final class LoopbackNetwork implements PodNetwork {
  private final LoopbackIps ips = LoopbackIps.random();

  @Override
  public String mode() {
    return "loopback";
  }

  @Override
  public String attach(String pod, List<Integer> ports) {
    return ips.allocate(ports);
  }

  @Override
  public void detach(String pod) {
    // The address simply stops being used.
  }

  @Override
  public List<String> wrap(String pod, List<String> command) {
    return command;
  }

  @Override
  public boolean bindsPodIp() {
    return true;
  }

  @Override
  public void partition(Collection<Set<String>> components, Map<String, String> podIps) {
    throw new UnsupportedOperationException("network faults need pods in their own network namespaces "
        + "(berth local up --network namespaces, as root); loopback pods share one interface");
  }

  @Override
  public void heal() {
    // Nothing is ever cut.
  }

  @Override
  public Map<String, String> describe() {
    return Map.of("mode", mode(), "ipPrefix", ips.prefix());
  }

  @Override
  public void close() {
    // Nothing was created.
  }
}
