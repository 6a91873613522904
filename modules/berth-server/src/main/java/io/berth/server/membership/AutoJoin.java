package io.berth.server.membership;

import io.berth.proto.v1.AddMemberRequest;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.ConfigMember;
import io.berth.proto.v1.ListMembersRequest;
import io.berth.proto.v1.ListMembersResponse;
import io.berth.proto.v1.PromoteMemberRequest;
import io.berth.server.raft.RaftMembership;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member outside the Raft configuration asking to become a voter ({@code --join auto}): it asks any peer to
 * add it as a listener (the peer forwards to the leader), waits until the configuration reaches it, then asks
 * for its promotion, which the leader grants once it has caught up. Every refusal (no leader, a change that
 * would lose quorum, another change in progress) is retried with backoff, up to 5 s apart; it never gives up
 * while the member runs, and stops once this member is a voter.
 *
 * <p>It acts once per start, never afterwards: a member removed later is not added back behind the operator's
 * back.
 */
public final class AutoJoin implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoJoin.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(90);
  private static final Duration PROMOTE_WAIT = Duration.ofSeconds(60);

  private final String id;
  private final String raftAddress;
  private final String clientAddress;
  private final List<String> endpoints;
  private final RaftMembership membership;
  private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  private AutoJoin(String id, String raftAddress, String clientAddress, List<String> endpoints,
      RaftMembership membership) {
    this.id = id;
    this.raftAddress = raftAddress;
    this.clientAddress = clientAddress;
    this.endpoints = List.copyOf(endpoints);
    this.membership = membership;
    this.thread = new Thread(this::run, "berth-join");
    this.thread.setDaemon(true);
  }

  /**
   * Starts asking, in the background, through the peers at {@code endpoints} (client addresses).
   *
   * @throws IllegalArgumentException when there is no peer to ask
   */
  public static AutoJoin start(String id, String raftAddress, String clientAddress, List<String> endpoints,
      RaftMembership membership) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("member " + id + " is not in the configuration and knows no peer to ask");
    }
    final AutoJoin join = new AutoJoin(id, raftAddress, clientAddress, endpoints, membership);
    join.thread.start();
    return join;
  }

  /**
   * The peer ids in the running cluster's configuration as its <em>leader</em> holds it (pending changes
   * included), asked through the first peer at {@code endpoints} that answers (a member forwards the question
   * to the leader); empty when no leader answered within {@code timeout} per peer. A member's own view may be
   * stale, and a new member must never pick a peer id that is still in use.
   */
  public static List<String> leaderConfiguration(List<String> endpoints, Duration timeout) {
    for (String endpoint : endpoints) {
      final ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
      try {
        final ListMembersResponse r = ClusterGrpc.newBlockingStub(channel)
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .listMembers(ListMembersRequest.getDefaultInstance());
        if (!r.getLeader().isEmpty() && r.getLeader().equals(r.getHeader().getMember())) {
          return r.getMembersList().stream().map(ConfigMember::getName).toList();
        }
        LOG.debug("{} answered without its leader's view of the members", endpoint);
      } catch (StatusRuntimeException e) {
        LOG.debug("{} did not list the members: {}", endpoint, e.getStatus());
      } finally {
        channel.shutdownNow();
      }
    }
    return List.of();
  }

  private void run() {
    long backoffMs = 250;
    int next = 0;
    String lastProblem = "";
    LOG.info("Member {} is not a voter; asking to join (add as listener, then promote once caught up)", id);
    while (!closed) {
      final RaftMembership.Configuration conf;
      try {
        conf = membership.configuration();
      } catch (RuntimeException e) {
        return; // the Raft server is closing
      }
      if (conf.isVoter(id)) {
        LOG.info("Member {} is a voter (configuration index {})", id, conf.index());
        return;
      }
      final String endpoint = endpoints.get(next++ % endpoints.size());
      final var stub = ClusterGrpc.newBlockingStub(channel(endpoint))
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      try {
        if (conf.find(id).isEmpty()) {
          stub.addMember(AddMemberRequest.newBuilder().setName(id).setRaftAddress(raftAddress)
              .setClientAddress(clientAddress).build());
          LOG.info("Member {} added as a listener (through {}); catching up", id, endpoint);
          awaitInConfiguration(Duration.ofSeconds(30));
        } else {
          stub.promoteMember(PromoteMemberRequest.newBuilder().setName(id)
              .setTimeoutMs(PROMOTE_WAIT.toMillis()).build());
          LOG.info("Member {} promoted to voter (through {})", id, endpoint);
        }
        backoffMs = 250;
        continue;
      } catch (StatusRuntimeException e) {
        final String problem = e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        if (!problem.equals(lastProblem)) {
          LOG.info("Member {} not joined yet ({} answered {}); retrying", id, endpoint, problem);
          lastProblem = problem;
        }
      }
      sleep(backoffMs);
      backoffMs = Math.min(5_000, backoffMs * 2);
    }
  }

  private void awaitInConfiguration(Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed && System.nanoTime() < deadline && membership.configuration().find(id).isEmpty()) {
      sleep(100);
    }
  }

  private ManagedChannel channel(String endpoint) {
    synchronized (channels) {
      return channels.computeIfAbsent(endpoint, e -> NettyChannelBuilder.forTarget(e).usePlaintext().build());
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops asking (a request in flight is abandoned). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    synchronized (channels) {
      channels.values().forEach(ManagedChannel::shutdownNow);
      channels.clear();
    }
  }
}
