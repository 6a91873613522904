package io.berth.testkit.chaos;

import io.berth.client.BerthClient;
import io.berth.testkit.local.PodStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Faults a StatefulSet suffers: a pod rescheduled (new IP, same name and volume), a rolling restart (every pod
 * rescheduled in turn), and a member's volume lost.
 *
 * <p>Volume loss: the member comes back on an empty volume and, as DESIGN requires, never votes as its old self:
 * it rejoins as a new incarnation ({@code berth-1~2}), first as a listener, the old peer id removed in the same
 * configuration change, and becomes a voter once caught up. While it is out it is marked lost
 * ({@link FaultContext#lost}) so health checks and victims leave it aside; healing waits for it to be Ready
 * again under its new identity and then to vote again. A member that does not vote again stays lost, and the run
 * injects no further fault (see {@link ChaosRun}): a second failure while it is out is one more than three voters
 * survive. The final replica comparison includes it.
 */
final class StatefulSetFaults {
  private StatefulSetFaults() {}

  static Fault reschedule() {
    return new Fault() {
      private String pod;
      private PodStatus before;

      @Override
      public String name() {
        return "reschedule";
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        pod = ctx.pick(ctx.live(), 1).get(0);
        before = ctx.cluster().pod(pod);
        final String role = ctx.probe().roles().getOrDefault(pod, "");
        final long injected = System.nanoTime();
        final PodStatus after = ctx.cluster().deletePod(pod, Optional.empty());
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put(ProcessFaults.INJECTED, injected);
        e.put("pod", pod);
        e.put("role", role);
        e.put("ipBefore", before.ip());
        e.put("ipAfter", after.ip());
        e.put("pidBefore", before.pid());
        e.put("pidAfter", after.pid());
        e.put("volume", after.volume());
        e.put("effective", !before.ip().equals(after.ip()) && before.volume().equals(after.volume())
            && before.pid() != after.pid());
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        ctx.cluster().awaitReady(List.of(pod), ctx.timeout());
        final PodStatus now = ctx.cluster().pod(pod);
        return Map.of("pod", pod, "ip", now.ip(), "ready", now.ready(), "effective", now.ready());
      }
    };
  }

  static Fault rollingRestart() {
    return new Fault() {
      private Map<String, String> ipsBefore = Map.of();

      @Override
      public String name() {
        return "rolling-restart";
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        ipsBefore = ips(ctx);
        final String leader = ctx.leader();
        // Runs the whole rollout: highest ordinal first, each Ready before the next.
        ctx.cluster().rollingRestart(ctx.timeout());
        final Map<String, String> after = ips(ctx);
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("leaderBefore", leader);
        e.put("ipsBefore", ipsBefore);
        e.put("ipsAfter", after);
        e.put("effective", ipsBefore.keySet().stream().allMatch(p -> !ipsBefore.get(p).equals(after.get(p))));
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        ctx.cluster().awaitReady(ctx.live(), ctx.timeout());
        return Map.of("effective", true, "ips", ips(ctx));
      }

      private Map<String, String> ips(FaultContext ctx) {
        final Map<String, String> ips = new LinkedHashMap<>();
        ctx.cluster().status().stream().filter(p -> !ctx.lost().contains(p.name()))
            .forEach(p -> ips.put(p.name(), p.ip()));
        return ips;
      }
    };
  }

  /**
   * Waits until {@code member} is a voter of a configuration with a leader, for up to {@link #REJOIN_STEPS} step
   * timeouts: a new incarnation catches up from nothing (a snapshot and the log since) while the workloads run.
   */
  private static boolean awaitVoter(FaultContext ctx, String member) {
    final long deadline = System.nanoTime() + ctx.timeout().multipliedBy(REJOIN_STEPS).toNanos();
    while (System.nanoTime() < deadline) {
      final List<String> endpoints = ctx.cluster().endpoints();
      if (!endpoints.isEmpty()) {
        try (BerthClient c = BerthClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(3))
            .retryBudget(Duration.ofSeconds(5)).build()) {
          final var members = c.members();
          if (members.leader().isPresent()
              && members.voters().stream().anyMatch(v -> v.name().equals(member))) {
            return true;
          }
        } catch (RuntimeException notYet) {
          // between leaders, or the member just answered before its configuration arrived: ask again
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** How many step timeouts a member that lost its volume may take to vote again. */
  static final int REJOIN_STEPS = 3;

  static Fault loseVolume() {
    return new Fault() {
      private String pod;

      @Override
      public String name() {
        return "lose-volume";
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        pod = ctx.pick(ctx.followers(), 1).get(0);
        final PodStatus before = ctx.cluster().pod(pod);
        final String role = ctx.probe().roles().getOrDefault(pod, "");
        final PodStatus after = ctx.cluster().deleteVolume(pod);
        ctx.lost().add(pod);
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("pod", pod);
        e.put("role", role);
        e.put("pidBefore", before.pid());
        e.put("ipBefore", before.ip());
        e.put("ipAfter", after.ip());
        e.put("volume", after.volume());
        e.put("effective", before.pid() != after.pid());
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        // The member comes back on its empty volume as a new incarnation (berth-1~2): added as a listener, the
        // old one removed in the same configuration change, promoted once caught up. Never as its old self.
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("pod", pod);
        e.put("expected", "the pod rejoins as a new incarnation, never votes as its old self, and catches up");
        try {
          ctx.cluster().awaitReady(List.of(pod), ctx.timeout());
        } catch (IllegalStateException notReady) {
          final PodStatus now = ctx.cluster().pod(pod);
          e.put("phase", now.phase());
          e.put("restarts", now.restarts());
          e.put("effective", false);
          return e;
        }
        final PodStatus now = ctx.cluster().pod(pod);
        String member = "";
        try (BerthClient one = BerthClient.builder().endpoints(now.ip() + ":" + ctx.cluster().clientPort())
            .requestTimeout(Duration.ofSeconds(3)).retryBudget(Duration.ofSeconds(10)).build()) {
          member = one.status().member();
        } catch (RuntimeException ex) {
          e.put("statusError", ex.getMessage());
        }
        // Healed only once the new incarnation votes again: until then the cluster runs on the remaining voters
        // alone, and losing one of them too would be a second failure of three, which no Raft cluster survives.
        final long waitStart = System.nanoTime();
        final boolean voter = !member.isEmpty() && awaitVoter(ctx, member);
        e.put("voterAfterMillis", (System.nanoTime() - waitStart) / 1_000_000);
        if (voter) {
          ctx.lost().remove(pod); // otherwise it stays out, and the run injects nothing more (see ChaosRun)
        }
        e.put("phase", now.phase());
        e.put("ready", now.ready());
        e.put("memberNow", member);
        e.put("voterAgain", voter);
        e.put("effective", now.ready() && !member.isEmpty() && !member.equals(pod) && voter);
        return e;
      }
    };
  }
}
