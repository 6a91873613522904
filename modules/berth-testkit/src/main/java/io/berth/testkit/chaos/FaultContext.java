package io.berth.testkit.chaos;

import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What faults act on: the emulated StatefulSet, a probe of its members, the run's seeded randomness, and the pods
 * that are out for good (a member that lost its volume cannot rejoin yet, see {@link StatefulSetFaults}).
 */
public final class FaultContext {
  private final LocalStatefulSet cluster;
  private final ClusterProbe probe;
  private final Random random;
  private final Duration timeout;
  private final Set<String> lost = ConcurrentHashMap.newKeySet();

  public FaultContext(LocalStatefulSet cluster, ClusterProbe probe, Random random, Duration timeout) {
    this.cluster = cluster;
    this.probe = probe;
    this.random = random;
    this.timeout = timeout;
  }

  public LocalStatefulSet cluster() {
    return cluster;
  }

  public ClusterProbe probe() {
    return probe;
  }

  public Random random() {
    return random;
  }

  /** How long a step (a pod coming back, a leader being elected) may take. */
  public Duration timeout() {
    return timeout;
  }

  /** Pods out for good (their volume was lost); health checks and victims leave them aside. */
  public Set<String> lost() {
    return lost;
  }

  /** The pods that are members in good standing, by ordinal. */
  public List<String> live() {
    return cluster.status().stream().map(PodStatus::name).filter(n -> !lost.contains(n)).toList();
  }

  /** The current leader (waiting for an election if there is none). */
  public String leader() {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final Optional<ClusterProbe.Member> l = probe.leader();
      if (l.isPresent()) {
        return l.get().pod();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no member reports itself leader after " + timeout.toSeconds() + " s");
      }
      Pause.millis(100);
    }
  }

  /** The live pods other than the leader. */
  public List<String> followers() {
    final String leader = leader();
    return live().stream().filter(p -> !p.equals(leader)).toList();
  }

  /** {@code count} distinct live pods picked at random. */
  public List<String> pick(List<String> from, int count) {
    final List<String> pool = new ArrayList<>(from);
    final List<String> picked = new ArrayList<>();
    while (picked.size() < count && !pool.isEmpty()) {
      picked.add(pool.remove(random.nextInt(pool.size())));
    }
    return picked;
  }

  /** Every pod's pid, IP and role now: evidence. */
  public Map<String, Object> snapshot() {
    final Map<String, Object> pods = new LinkedHashMap<>();
    final Map<String, String> roles = probe.roles();
    for (PodStatus p : cluster.status()) {
      pods.put(p.name(), Map.of("pid", p.pid(), "ip", p.ip(), "phase", p.phase(), "ready", p.ready(),
          "role", roles.getOrDefault(p.name(), "")));
    }
    return pods;
  }

  /**
   * Waits until every live pod is Ready and not paused and a leader answers; returns how long that took and the
   * roles then.
   *
   * @throws IllegalStateException when the cluster is not healthy within the timeout
   */
  public Map<String, Object> awaitHealthy() {
    final long start = System.nanoTime();
    final List<String> live = live();
    cluster.awaitReady(live, timeout);
    final String leader = leader();
    final Map<String, Object> health = new LinkedHashMap<>();
    health.put("healthy", true);
    health.put("leader", leader);
    health.put("roles", probe.roles());
    health.put("millis", (System.nanoTime() - start) / 1_000_000);
    return health;
  }
}
