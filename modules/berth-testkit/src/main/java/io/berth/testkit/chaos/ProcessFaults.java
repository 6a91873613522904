package io.berth.testkit.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Faults on member processes: SIGKILL (the pod stays down until healed, or with {@code restart} is restarted in
 * place at once by restart policy Always) and SIGSTOP/SIGCONT. Evidence: the PIDs before and after and the
 * kernel's process state ({@code gone}, {@code T} stopped).
 */
final class ProcessFaults {
  /**
   * Evidence key: {@link System#nanoTime} when the first signal was sent (failover is measured from there, not
   * from when the fault began choosing its victims).
   */
  static final String INJECTED = "injectedNanos";

  private ProcessFaults() {}

  /** Which pods a fault picks, given the context. */
  interface Victims extends Function<FaultContext, List<String>> {}

  /** SIGKILL of {@code victims}; with {@code restart} the kubelet restarts them at once, else heal does. */
  static Fault kill(String name, Victims victims, boolean restart) {
    return new Fault() {
      private List<String> targets = List.of();
      private final Map<String, Long> pids = new LinkedHashMap<>();

      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        targets = victims.apply(ctx);
        pids.clear();
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("pods", targets);
        final Map<String, Object> roles = new LinkedHashMap<>(ctx.probe().roles());
        boolean effective = !targets.isEmpty();
        for (String pod : targets) {
          final long pid = ctx.cluster().pod(pod).pid();
          pids.put(pod, pid);
          e.putIfAbsent(INJECTED, System.nanoTime());
          ctx.cluster().kill(pod, restart);
          final String state = ProcState.of(pid);
          e.put(pod, Map.of("role", roles.getOrDefault(pod, ""), "pidBefore", pid, "processAfterKill", state));
          effective &= pid > 0 && state.equals("gone");
        }
        e.put("effective", effective);
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        final Map<String, Object> e = new LinkedHashMap<>();
        for (String pod : targets) {
          if (!restart) {
            ctx.cluster().start(pod);
          }
        }
        ctx.cluster().awaitReady(targets, ctx.timeout());
        boolean effective = true;
        for (String pod : targets) {
          final long after = ctx.cluster().pod(pod).pid();
          e.put(pod, Map.of("pidBefore", pids.get(pod), "pidAfter", after));
          effective &= after != pids.get(pod) && after > 0;
        }
        e.put("effective", effective);
        return e;
      }
    };
  }

  /** SIGSTOP of {@code victims}; heal sends SIGCONT. */
  static Fault pause(String name, Victims victims) {
    return new Fault() {
      private List<String> targets = List.of();
      private final Map<String, Long> pids = new LinkedHashMap<>();

      @Override
      public String name() {
        return name;
      }

      @Override
      public Map<String, Object> start(FaultContext ctx) {
        targets = victims.apply(ctx);
        pids.clear();
        final Map<String, Object> e = new LinkedHashMap<>();
        e.put("pods", targets);
        final Map<String, String> roles = ctx.probe().roles();
        boolean effective = !targets.isEmpty();
        for (String pod : targets) {
          final long pid = ctx.cluster().pod(pod).pid();
          pids.put(pod, pid);
          e.putIfAbsent(INJECTED, System.nanoTime());
          ctx.cluster().pause(pod);
          final String state = ProcState.await(pid, "T");
          e.put(pod, Map.of("role", roles.getOrDefault(pod, ""), "pid", pid, "processState", state));
          effective &= state.equals("T");
        }
        e.put("effective", effective);
        return e;
      }

      @Override
      public Map<String, Object> heal(FaultContext ctx) {
        final Map<String, Object> e = new LinkedHashMap<>();
        boolean effective = true;
        for (String pod : targets) {
          ctx.cluster().resume(pod);
          final long pid = pids.get(pod);
          final String state = ProcState.of(pid);
          e.put(pod, Map.of("pid", pid, "pidNow", ctx.cluster().pod(pod).pid(), "processState", state));
          effective &= !state.equals("T") && !state.equals("gone");
        }
        e.put("effective", effective);
        return e;
      }
    };
  }

  static Victims leader() {
    return ctx -> List.of(ctx.leader());
  }

  static Victims random() {
    return ctx -> ctx.pick(ctx.live(), 1);
  }

  /** A minority of the configured members (one of three), minus those already out for good. */
  static Victims minority() {
    return ctx -> {
      final int minority = (ctx.cluster().spec().replicas() - 1) / 2 - ctx.lost().size();
      return ctx.pick(ctx.live(), Math.max(0, minority));
    };
  }

  static Victims followers() {
    return ctx -> new ArrayList<>(ctx.followers());
  }
}
