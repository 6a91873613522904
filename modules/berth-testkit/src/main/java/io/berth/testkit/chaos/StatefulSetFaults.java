package io.berth.testkit.chaos;

import io.berth.testkit.local.PodStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Faults a StatefulSet suffers: a pod rescheduled (new IP, same name and volume), a rolling restart (every pod
 * rescheduled in turn), and a member's volume lost.
 *
 * <p>Volume loss: the member comes back on an empty volume and, as DESIGN requires, refuses to vote as its old
 * self; until rejoining as a new member is built it stays in CrashLoopBackOff. That is safe, and it cannot be
 * healed: the expected outcome is that the member stays out, the cluster keeps serving with its majority, and no
 * acknowledged write is lost. The fault marks the pod lost ({@link FaultContext#lost}) so later health checks and
 * victims leave it aside; a second volume loss in one run hits the same pod, never a second member.
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

  static Fault loseVolume() {
    return new Fault() {
      private String pod;

      @Override
      public String name() {
        return "lose-volume";
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        pod = ctx.lost().stream().findFirst().orElseGet(() -> ctx.pick(ctx.followers(), 1).get(0));
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
        // Nothing can bring the old member back: record how it stands (expected: not Ready, restarting).
        final PodStatus now = ctx.cluster().pod(pod);
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("pod", pod);
        e.put("phase", now.phase());
        e.put("ready", now.ready());
        e.put("restarts", now.restarts());
        e.put("expected", "the member refuses to vote as its old self and stays out (rejoin is issue 8); the "
            + "majority keeps serving");
        e.put("effective", !now.ready());
        return e;
      }
    };
  }
}
