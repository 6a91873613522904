package io.berth.server.raft;

import java.time.Duration;

/**
 * The tunable Raft settings of a member, validated once. Defaults are chosen for a 3-5 member cluster of small
 * pods (2 cores or less, shared nodes): see the README's "Raft timing" section for the measurements behind them.
 *
 * @param electionTimeoutMin    a follower that hears nothing from the leader for a random time in
 *                              [min, max] starts an election. Ratis' 150-300 ms default causes spurious elections
 *                              when a pod is CPU-throttled or a JVM pauses for GC; 1-2 s keeps them at zero on a
 *                              loaded 2-core machine while a crashed leader is still replaced in about 2 s.
 * @param electionTimeoutMax    upper bound of the randomized election timeout
 * @param requestTimeout        how long one Raft RPC may take before it is retried
 * @param snapshotThreshold     take a snapshot after this many entries since the last one
 * @param logPreserved          entries kept in the log below the snapshot index when purging, so a briefly
 *                              lagging follower catches up from the log instead of a snapshot install
 * @param segmentSizeMaxBytes   size of one Raft log segment file; only whole closed segments are purged
 * @param snapshotChunkBytes    size of one chunk of a snapshot sent to a follower
 * @param clientPoolSize        embedded Raft clients used to submit commands (ordered per client)
 * @param workerThreads         Netty worker threads of the Raft gRPC server (and of each embedded client)
 * @param batchInFlight         Raft requests (each a batch of client requests) a member keeps outstanding, per
 *                              kind (writes, linearizable reads); requests that arrive meanwhile leave together
 *                              as the next batch (see the README's "Batching" section for the measurements)
 * @param batchMaxRequests      client requests in one batch at most
 */
public record RaftSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration requestTimeout,
    long snapshotThreshold,
    long logPreserved,
    long segmentSizeMaxBytes,
    long snapshotChunkBytes,
    int clientPoolSize,
    int workerThreads,
    int batchInFlight,
    int batchMaxRequests) {

  public static RaftSettings defaults() {
    return new RaftSettings(Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofSeconds(3),
        100_000, 10_000, 8L << 20, 4L << 20, 4, 4, 2, 256);
  }

  public RaftSettings {
    require(electionTimeoutMin.toMillis() >= 50, "election timeout min must be at least 50ms, got "
        + electionTimeoutMin.toMillis() + "ms");
    require(electionTimeoutMax.compareTo(electionTimeoutMin) > 0, "election timeout max ("
        + electionTimeoutMax.toMillis() + "ms) must be above min (" + electionTimeoutMin.toMillis() + "ms)");
    require(requestTimeout.compareTo(electionTimeoutMin) >= 0, "request timeout (" + requestTimeout.toMillis()
        + "ms) must be at least the election timeout min (" + electionTimeoutMin.toMillis() + "ms)");
    require(snapshotThreshold >= 1, "snapshot threshold must be at least 1, got " + snapshotThreshold);
    require(logPreserved >= 0, "preserved log entries must not be negative, got " + logPreserved);
    require(segmentSizeMaxBytes >= 4096, "log segment size must be at least 4096 bytes, got " + segmentSizeMaxBytes);
    require(snapshotChunkBytes >= 4096, "snapshot chunk size must be at least 4096 bytes, got " + snapshotChunkBytes);
    require(clientPoolSize >= 1, "client pool size must be at least 1, got " + clientPoolSize);
    require(workerThreads >= 1, "worker threads must be at least 1, got " + workerThreads);
    require(batchInFlight >= 1, "batches in flight must be at least 1, got " + batchInFlight);
    require(batchMaxRequests >= 1, "requests per batch must be at least 1, got " + batchMaxRequests);
  }

  public RaftSettings withElectionTimeout(Duration min, Duration max) {
    return new RaftSettings(min, max, requestTimeout.compareTo(min) < 0 ? min : requestTimeout, snapshotThreshold,
        logPreserved, segmentSizeMaxBytes, snapshotChunkBytes, clientPoolSize, workerThreads, batchInFlight,
        batchMaxRequests);
  }

  public RaftSettings withSnapshots(long threshold, long preserved, long segmentSize) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, requestTimeout, threshold, preserved,
        segmentSize, snapshotChunkBytes, clientPoolSize, workerThreads, batchInFlight, batchMaxRequests);
  }

  /** With at most {@code inFlight} outstanding batches per kind, each of at most {@code maxRequests} requests. */
  public RaftSettings withBatching(int inFlight, int maxRequests) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, requestTimeout, snapshotThreshold,
        logPreserved, segmentSizeMaxBytes, snapshotChunkBytes, clientPoolSize, workerThreads, inFlight, maxRequests);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
