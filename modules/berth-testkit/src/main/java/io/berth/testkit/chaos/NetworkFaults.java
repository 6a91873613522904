package io.berth.testkit.chaos;

import io.berth.client.BerthClient;
import io.berth.client.MemberStatus;
import io.berth.testkit.local.PodStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Network partitions between pods, as iptables rules inside the pods' own network namespaces (the local
 * StatefulSet must run with {@code PodNetwork.namespaces()}, which needs root). Evidence is each member's own
 * view: its {@code Status} asks every other member from inside its namespace, so a member on one side sees those
 * on the other as unreachable exactly while the partition holds.
 */
final class NetworkFaults {
  private NetworkFaults() {}

  /** The leader alone on one side, everyone else on the other. */
  static Fault isolateLeader() {
    return partition("partition-leader", ctx -> {
      final String leader = ctx.leader();
      final List<String> rest = ctx.live().stream().filter(p -> !p.equals(leader)).toList();
      return List.of(Set.of(leader), Set.copyOf(rest));
    });
  }

  /** A random minority (as large as it can be) cut off from the majority. */
  static Fault majorityMinority() {
    return partition("partition-halves", ctx -> {
      final List<String> live = ctx.live();
      final List<String> minority = ctx.pick(live, (live.size() - 1) / 2);
      final List<String> majority = live.stream().filter(p -> !minority.contains(p)).toList();
      return List.of(Set.copyOf(minority), Set.copyOf(majority));
    });
  }

  /**
   * A bridge: one member reaches everyone, the others are split in two groups that reach only the bridge (with
   * three members: a - b - c, a and c cut apart). Raft must keep one leader and lose nothing.
   */
  static Fault bridge() {
    return partition("partition-bridge", ctx -> {
      final List<String> live = new ArrayList<>(ctx.live());
      final String bridge = ctx.pick(live, 1).get(0);
      live.remove(bridge);
      final Set<String> left = new HashSet<>(live.subList(0, live.size() / 2));
      final Set<String> right = new HashSet<>(live.subList(live.size() / 2, live.size()));
      left.add(bridge);
      right.add(bridge);
      return List.of(left, right);
    });
  }

  private static Fault partition(String name, Function<FaultContext, List<Set<String>>> plan) {
    return new Fault() {
      private List<Set<String>> components = List.of();

      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        components = plan.apply(ctx);
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("components", components);
        // A leader left without a majority on its side must be replaced: failover is measured for this fault.
        final String leader = ctx.leader();
        final int majority = ctx.live().size() / 2 + 1;
        final boolean leaderCut = components.stream().noneMatch(c -> c.contains(leader) && c.size() >= majority);
        e.put("leader", leader);
        if (leaderCut) {
          e.put("role", "LEADER");
        }
        e.put("before", ctx.snapshot());
        e.put(ProcessFaults.INJECTED, System.nanoTime());
        ctx.cluster().partition(components);
        // Give the members a few heartbeats to notice, then ask each what it can reach.
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, List<String>> unreachable = views(ctx);
        while (!cutAsPlanned(unreachable) && System.nanoTime() < deadline) {
          Pause.millis(500);
          unreachable = views(ctx);
        }
        e.put("unreachableFromEachPod", unreachable);
        e.put("effective", cutAsPlanned(unreachable));
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        ctx.cluster().heal();
        final Map<String, Object> e = new LinkedHashMap<>();
        final long deadline = System.nanoTime() + ctx.timeout().toNanos();
        Map<String, List<String>> unreachable = views(ctx);
        while (unreachable.values().stream().anyMatch(l -> !l.isEmpty()) && System.nanoTime() < deadline) {
          Pause.millis(500);
          unreachable = views(ctx);
        }
        e.put("unreachableFromEachPod", unreachable);
        e.put("effective", unreachable.values().stream().allMatch(List::isEmpty));
        return e;
      }

      /** True when every pair the plan cuts is seen as cut from at least one of its ends. */
      private boolean cutAsPlanned(Map<String, List<String>> unreachable) {
        for (String a : unreachable.keySet()) {
          for (String b : unreachable.keySet()) {
            final boolean together = components.stream().anyMatch(c -> c.contains(a) && c.contains(b));
            if (!a.equals(b) && !together && !unreachable.get(a).contains(b) && !unreachable.get(b).contains(a)) {
              return false;
            }
          }
        }
        return true;
      }
    };
  }

  /** For each live pod, the members its own Status could not reach. */
  private static Map<String, List<String>> views(FaultContext ctx) {
    final Map<String, List<String>> out = new LinkedHashMap<>();
    for (PodStatus p : ctx.cluster().status()) {
      if (ctx.lost().contains(p.name()) || p.ip().isEmpty()) {
        continue;
      }
      try (BerthClient one = BerthClient.builder().endpoints(p.ip() + ":" + ctx.cluster().clientPort())
          .requestTimeout(Duration.ofSeconds(3)).retryBudget(Duration.ofSeconds(3)).build()) {
        out.put(p.name(), one.status().members().stream().filter(m -> !m.healthy()).map(MemberStatus::name)
            .filter(n -> !ctx.lost().contains(n)).toList());
      } catch (RuntimeException e) {
        out.put(p.name(), List.of("(no answer: " + e.getMessage() + ")"));
      }
    }
    return out;
  }
}
