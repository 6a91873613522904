package io.berth.server.api;

import io.berth.server.raft.RaftNode;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The member's health as Kubernetes probes see it, on {@code grpc.health.v1.Health} (services
 * {@value #STARTUP}, {@value #LIVENESS}, {@value #READINESS}) and on the admin port's {@code /healthz} and
 * {@code /readyz}:
 * <ul>
 *   <li><b>startup</b>: the volume was checked and Raft is running (SERVING from construction on).
 *   <li><b>liveness</b>: this process can still do its job: the Raft server is not closed or failed. It never
 *       depends on other members, so a partition or a lost quorum never gets healthy pods restarted.
 *   <li><b>readiness</b>: this member can serve linearizable requests now: it knows a leader (or is a ready
 *       leader) and has applied everything it knows to be committed, give or take {@value #READY_LAG} entries.
 * </ul>
 * Re-evaluated every {@value #PERIOD_MS} ms.
 */
public final class MemberHealth implements AutoCloseable {
  public static final String STARTUP = "berth-startup";
  public static final String LIVENESS = "berth-liveness";
  public static final String READINESS = "berth-readiness";
  static final long READY_LAG = 1000;
  static final long PERIOD_MS = 500;

  private final RaftNode raft;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    final Thread t = new Thread(r, "berth-health");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean live;
  private volatile String notReadyReason = "starting";

  public MemberHealth(RaftNode raft) {
    this.raft = raft;
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(STARTUP, ServingStatus.SERVING);
    update();
    timer.scheduleWithFixedDelay(this::update, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  public BindableService service() {
    return health.getHealthService();
  }

  public boolean live() {
    return live;
  }

  /** Null when ready, else why not. */
  public String notReadyReason() {
    return notReadyReason;
  }

  private void update() {
    try {
      final var info = raft.division().getInfo();
      live = info.isAlive();
      final long commit = raft.commitIndex();
      final long applied = info.getLastAppliedIndex();
      if (!live) {
        notReadyReason = "the Raft server is " + info.getLifeCycleState();
      } else if (info.isLeader() && !info.isLeaderReady()) {
        notReadyReason = "leader is not ready yet (committing its first entry of the term)";
      } else if (!info.isLeader() && raft.leader().isEmpty()) {
        notReadyReason = "no leader known";
      } else if (commit - applied > READY_LAG) {
        notReadyReason = "catching up: applied " + applied + " of " + commit + " committed entries";
      } else {
        notReadyReason = null;
      }
    } catch (RuntimeException e) {
      live = false;
      notReadyReason = "Raft server unavailable: " + e.getMessage();
    }
    health.setStatus(LIVENESS, live ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    health.setStatus(READINESS, notReadyReason == null ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    health.enterTerminalState();
  }
}
