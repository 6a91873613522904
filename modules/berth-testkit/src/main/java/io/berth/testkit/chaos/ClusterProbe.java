package io.berth.testkit.chaos;

import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.Member;
import io.berth.proto.v1.MemberStatusRequest;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.PodStatus;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks each pod directly ({@code Cluster.MemberStatus} at its own client address) for its role, term, applied
 * index and revision, and on request its content hash. Unlike the emulator's probe-time role, the answer is
 * current. Thread-safe; {@link #close} closes its channels.
 */
public final class ClusterProbe implements AutoCloseable {
  private final LocalStatefulSet cluster;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public ClusterProbe(LocalStatefulSet cluster) {
    this.cluster = cluster;
  }

  /**
   * One member's answer.
   *
   * @param pod          the pod name
   * @param ip           its pod IP
   * @param pid          its process
   * @param role         LEADER, FOLLOWER, ..., or UNREACHABLE when it did not answer
   * @param term         its term
   * @param appliedIndex its applied log index
   * @param revision     its store revision
   * @param contentHash  hex SHA-256 of its key space when asked for, else empty
   */
  public record Member(String pod, String ip, long pid, String role, long term, long appliedIndex, long revision,
      String contentHash) {
    boolean answered() {
      return !role.equals("UNREACHABLE");
    }
  }

  /** Every pod's answer, by ordinal. */
  public List<Member> members(boolean contentHash) {
    final List<PodStatus> pods = cluster.status();
    return pods.stream().map(p -> ask(p, contentHash)).toList();
  }

  private Member ask(PodStatus p, boolean contentHash) {
    if (p.ip().isEmpty() || p.pid() == 0 || p.paused()) {
      return new Member(p.name(), p.ip(), p.pid(), "UNREACHABLE", 0, 0, 0, "");
    }
    final String address = p.ip() + ":" + cluster.clientPort();
    try {
      final io.berth.proto.v1.Member m = ClusterGrpc.newBlockingStub(channels.computeIfAbsent(address,
              a -> Grpc.newChannelBuilder(a, InsecureChannelCredentials.create()).build()))
          .withDeadlineAfter(contentHash ? 10_000 : 1_000, TimeUnit.MILLISECONDS)
          .memberStatus(MemberStatusRequest.newBuilder().setIncludeContentHash(contentHash).build());
      return new Member(p.name(), p.ip(), p.pid(), m.getRole(), m.getTerm(), m.getAppliedIndex(), m.getRevision(),
          m.getContentHash().isEmpty() ? "" : HexFormat.of().formatHex(m.getContentHash().toByteArray()));
    } catch (StatusRuntimeException e) {
      // A channel that failed may sit in gRPC's reconnect back-off (up to minutes) after the pod is back: the
      // next probe starts afresh.
      final ManagedChannel failed = channels.remove(address);
      if (failed != null) {
        failed.shutdownNow();
      }
      return new Member(p.name(), p.ip(), p.pid(), "UNREACHABLE", 0, 0, 0, "");
    }
  }

  /** The member that says it leads in the highest term, if any answers so. */
  public Optional<Member> leader() {
    return members(false).stream().filter(m -> m.role().equals("LEADER"))
        .max(java.util.Comparator.comparingLong(Member::term));
  }

  /** Roles by pod, for evidence. */
  public Map<String, String> roles() {
    final Map<String, String> roles = new LinkedHashMap<>();
    members(false).forEach(m -> roles.put(m.pod(), m.role()));
    return roles;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
