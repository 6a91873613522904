package io.berth.testkit.local;

/**
 * One pod as {@code berth local status} shows it.
 *
 * @param name     {@code <sts>-<ordinal>}, stable across restarts and rescheduling
 * @param ordinal  its ordinal
 * @param ip       its pod IP on loopback, empty while it has none (being rescheduled)
 * @param pid      the PID of its {@code berth server} process, 0 when none runs
 * @param volume   the directory that backs its data volume (it outlives the pod)
 * @param phase    {@code Pending}, {@code Running}, {@code Terminating}, {@code CrashLoopBackOff} or
 *                 {@code Stopped} (killed with restarts held)
 * @param ready    whether its readiness probe passes
 * @param paused   whether it is stopped with SIGSTOP
 * @param role     its Raft role as it reports it ({@code LEADER}, {@code FOLLOWER}, ...), empty when unknown
 * @param restarts container restarts since the pod was created
 */
public record PodStatus(String name, int ordinal, String ip, long pid, String volume, String phase, boolean ready,
    boolean paused, String role, int restarts) {}
