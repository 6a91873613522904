package io.berth.server.raft;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, makes sure every member of the configuration is being replicated to, and repairs it when not.
 *
 * <p>Ratis (3.3) can drop the leader's log appender for a member for good. A configuration change that adds a
 * member first <em>stages</em> it: the leader replicates to it while it catches up, before it counts. If that
 * appender fails meanwhile (a lost-volume chaos run saw {@code Log entry not found}: the entries it was about to
 * send had just been purged after a snapshot), Ratis restarts it only for peers already in the configuration,
 * which a staged peer is not; the appender is gone, staging sees no lagging peer any more and commits the new
 * configuration with the member in it. From then on the leader never sends that member anything: it stays at
 * the same applied index (six minutes, until the run ended), never becomes ready, and the cluster runs on the
 * other voters without saying so, one more failure away from losing its quorum.
 *
 * <p>Every {@link #PERIOD}, the leader compares its (stable) configuration with the members it has an appender
 * for. A member missing for {@code grace} is repaired by handing leadership to another voter the leader hears
 * from, since a new leader starts an appender for every member of the configuration; when there is none, the
 * leader steps down and the next election does the same. Then it waits {@code grace} again before looking.
 */
public final class ReplicationWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicationWatchdog.class);
  static final Duration PERIOD = Duration.ofSeconds(1);
  private static final Duration HANDOFF = Duration.ofSeconds(10);

  private final RaftNode node;
  private final Tracker tracker;
  private final Runnable onRepair;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    final Thread t = new Thread(r, "berth-replication-watchdog");
    t.setDaemon(true);
    return t;
  });

  private ReplicationWatchdog(RaftNode node, Duration grace, Runnable onRepair) {
    this.node = node;
    this.tracker = new Tracker(grace.toMillis());
    this.onRepair = onRepair;
  }

  /**
   * Starts watching {@code node}; {@code onRepair} runs after each repair (for a metric). The grace is three
   * maximum election timeouts, at least 5 s: Ratis replaces a failed appender of a member within milliseconds,
   * so only one that stays missing is treated.
   */
  public static ReplicationWatchdog start(RaftNode node, Runnable onRepair) {
    final Duration grace = max(Duration.ofSeconds(5), node.settings().electionTimeoutMax().multipliedBy(3));
    final ReplicationWatchdog w = new ReplicationWatchdog(node, grace, onRepair);
    w.timer.scheduleWithFixedDelay(w::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  private void check() {
    try {
      final List<String> orphans = tracker.update(System.nanoTime() / 1_000_000, observe());
      if (!orphans.isEmpty()) {
        repair(orphans);
      }
    } catch (RuntimeException e) {
      // The Raft server may be closing; the next round looks again.
      LOG.debug("Replication check failed: {}", e.toString());
    }
  }

  /** What the leader holds now; an empty observation when this member does not lead. */
  private Observation observe() {
    if (!node.isLeader()) {
      return Observation.NOT_LEADING;
    }
    final RaftMembership.Configuration conf = new RaftMembership(node).configuration();
    final Set<String> members = Stream.concat(conf.voters().stream(), conf.listeners().stream())
        .map(RaftNode.Member::id).filter(id -> !id.equals(node.selfId())).collect(Collectors.toSet());
    final Set<String> replicated = node.division().getInfo().getRoleInfoProto().getLeaderInfo()
        .getFollowerInfoList().stream().map(f -> f.getId().getId().toStringUtf8()).collect(Collectors.toSet());
    return new Observation(true, node.term(), conf.stable(), members, replicated);
  }

  private void repair(List<String> orphans) {
    LOG.warn("This leader ({}, term {}) has not been replicating to {} for {} ms although {} in the"
        + " configuration (Ratis dropped the {}); handing leadership over, so the next leader replicates to every"
        + " member", node.selfId(), node.term(), String.join(", ", orphans), tracker.graceMs,
        orphans.size() == 1 ? "it is" : "they are", orphans.size() == 1 ? "log appender" : "log appenders");
    final Optional<String> next = node.transferLeadership(HANDOFF);
    if (next.isPresent()) {
      LOG.warn("Leadership handed to {}; it replicates to {} again", next.get(), String.join(", ", orphans));
    } else if (node.isLeader()) {
      LOG.warn("No other voter took over; stepping down so that an election starts replication afresh");
      node.stepDown(HANDOFF);
    }
    onRepair.run();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * One look at the leader.
   *
   * @param leading    this member leads
   * @param term       its term
   * @param stable     no configuration change is in progress
   * @param members    the other members of the configuration, voters and listeners
   * @param replicated the members the leader has a log appender for
   */
  record Observation(boolean leading, long term, boolean stable, Set<String> members, Set<String> replicated) {
    static final Observation NOT_LEADING = new Observation(false, 0, true, Set.of(), Set.of());
  }

  /**
   * Decides which members count as no longer replicated to: missing from the leader's appenders in every look
   * for at least {@code graceMs}, under one term and a stable configuration. After it reports some, it reports
   * nothing for another {@code graceMs} (the repair needs time to show). Not thread-safe.
   */
  static final class Tracker {
    final long graceMs;
    private final Map<String, Long> missingSince = new HashMap<>();
    private long term = -1;
    private long quietUntil = Long.MIN_VALUE;

    Tracker(long graceMs) {
      this.graceMs = graceMs;
    }

    /** The members missing for {@code graceMs} as of {@code nowMs} (sorted), or none. */
    List<String> update(long nowMs, Observation o) {
      if (!o.leading() || o.term() != term) {
        missingSince.clear();
        term = o.leading() ? o.term() : -1;
      }
      if (!o.leading() || !o.stable()) {
        missingSince.clear();
        return List.of();
      }
      missingSince.keySet().removeIf(id -> !o.members().contains(id) || o.replicated().contains(id));
      o.members().stream().filter(id -> !o.replicated().contains(id))
          .forEach(id -> missingSince.putIfAbsent(id, nowMs));
      if (nowMs < quietUntil) {
        return List.of();
      }
      final List<String> orphans = missingSince.entrySet().stream()
          .filter(e -> nowMs - e.getValue() >= graceMs).map(Map.Entry::getKey).sorted().toList();
      if (!orphans.isEmpty()) {
        missingSince.clear();
        quietUntil = nowMs + graceMs;
      }
      return orphans;
    }
  }
}
