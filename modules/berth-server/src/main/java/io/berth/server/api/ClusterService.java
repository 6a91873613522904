package io.berth.server.api;

import io.berth.proto.internal.v1.MemberStateQuery;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.v1.AddMemberRequest;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.ListMembersRequest;
import io.berth.proto.v1.ListMembersResponse;
import io.berth.proto.v1.PromoteMemberRequest;
import io.berth.proto.v1.RemoveMemberRequest;
import io.berth.proto.v1.Member;
import io.berth.proto.v1.MemberStatusRequest;
import io.berth.proto.v1.ResponseHeader;
import io.berth.proto.v1.StatusRequest;
import io.berth.proto.v1.StatusResponse;
import io.berth.proto.v1.TransferLeaderRequest;
import io.berth.proto.v1.TransferLeaderResponse;
import io.berth.server.identity.MemberConfig;
import io.berth.server.raft.RaftMembership.Configuration;
import io.berth.server.raft.RaftNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;

/**
 * The Cluster service: this member's own state, the whole cluster's state gathered from every member, and
 * leadership transfer (forwarded to the leader when this member does not lead).
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private static final Duration PEER_DEADLINE = Duration.ofSeconds(1);
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(10);

  private final RaftNode raft;
  private final MemberConfig member;
  private final Function<String, ManagedChannel> channels;
  private final Map<String, ManagedChannel> peerChannels = new ConcurrentHashMap<>();
  private final Executor executor;
  private final MembershipHandler membership;
  /** Membership calls may wait a minute (promotion); they get their own threads, not the API pool's. */
  private final ExecutorService membershipExecutor = Executors.newCachedThreadPool(r -> {
    final Thread t = new Thread(r, "berth-membership");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param channels opens a channel to a peer's client address ({@code host:port}); closed by {@link #close()}
   * @param executor runs the blocking fan-out and transfer work off the gRPC event threads
   */
  public ClusterService(RaftNode raft, MemberConfig member, Function<String, ManagedChannel> channels,
      Executor executor) {
    this.raft = raft;
    this.member = member;
    this.channels = channels;
    this.executor = executor;
    this.membership = new MembershipHandler(raft, member, address -> peerChannels.computeIfAbsent(address, channels));
  }

  @Override
  public void listMembers(ListMembersRequest request, StreamObserver<ListMembersResponse> out) {
    runMembership(out, () -> membership.list(request));
  }

  @Override
  public void addMember(AddMemberRequest request, StreamObserver<ListMembersResponse> out) {
    runMembership(out, () -> membership.add(request));
  }

  @Override
  public void promoteMember(PromoteMemberRequest request, StreamObserver<ListMembersResponse> out) {
    runMembership(out, () -> membership.promote(request));
  }

  @Override
  public void removeMember(RemoveMemberRequest request, StreamObserver<ListMembersResponse> out) {
    runMembership(out, () -> membership.remove(request));
  }

  private interface MembershipCall {
    ListMembersResponse run() throws Exception;
  }

  private void runMembership(StreamObserver<ListMembersResponse> out, MembershipCall call) {
    membershipExecutor.execute(() -> {
      final ListMembersResponse response;
      try {
        response = call.run();
      } catch (Exception e) {
        out.onError(MembershipHandler.status(e));
        return;
      }
      out.onNext(response);
      out.onCompleted();
    });
  }

  /** A member to report on: its peer id and addresses. */
  private record Target(String name, String raftAddress, String clientAddress) {}

  /** The members to report on: the Raft configuration, plus this member when it is not (yet) in it. */
  private List<Target> statusTargets() {
    final List<Target> targets = new ArrayList<>();
    try {
      final Configuration conf = membership.raftMembership().configuration();
      java.util.stream.Stream.concat(conf.voters().stream(), conf.listeners().stream())
          .forEach(m -> targets.add(new Target(m.id(), m.raftAddress(), membership.clientAddressOf(m))));
    } catch (RuntimeException e) {
      // the Raft server is not running: report on this member alone
    }
    if (targets.stream().noneMatch(t -> t.name().equals(raft.selfId()))) {
      targets.add(0, new Target(raft.selfId(), member.self().peerAddress(), member.self().clientAddress()));
    }
    return targets;
  }

  @Override
  public void memberStatus(MemberStatusRequest request, StreamObserver<Member> out) {
    out.onNext(local(request.getIncludeContentHash()));
    out.onCompleted();
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
    final List<CompletableFuture<Member>> answers = new ArrayList<>();
    for (Target peer : statusTargets()) {
      answers.add(peer.name().equals(raft.selfId())
          ? CompletableFuture.completedFuture(local(false))
          : CompletableFuture.supplyAsync(() -> remote(peer), executor));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
      final List<Member> members = answers.stream().map(CompletableFuture::join).toList();
      // The leader is whoever a member in the highest term reports as leader.
      final Optional<Member> freshest = members.stream().filter(Member::getHealthy)
          .max(Comparator.comparingLong(Member::getTerm));
      out.onNext(StatusResponse.newBuilder()
          .setHeader(header())
          .setLeader(freshest.map(Member::getLeader).orElse(""))
          .setTerm(freshest.map(Member::getTerm).orElse(0L))
          .addAllMembers(members)
          .build());
      out.onCompleted();
    });
  }

  @Override
  public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderResponse> out) {
    final Optional<String> target = Optional.of(request.getTarget()).filter(t -> !t.isEmpty());
    CompletableFuture.runAsync(() -> {
      try {
        out.onNext(transfer(target));
        out.onCompleted();
      } catch (StatusRuntimeException e) {
        out.onError(e);
      } catch (IllegalArgumentException e) {
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      } catch (RuntimeException e) {
        out.onError(Status.INTERNAL.withDescription("leadership transfer failed: " + e).asRuntimeException());
      }
    }, executor);
  }

  private TransferLeaderResponse transfer(Optional<String> target) {
    if (raft.isLeader()) {
      final Optional<String> next = raft.transferLeadership(target, TRANSFER_TIMEOUT);
      if (next.isEmpty()) {
        throw Status.FAILED_PRECONDITION.withDescription("no follower" + target.map(t -> " " + t + " is").orElse(" is")
            + " live and caught up enough to take over; leadership stays with " + raft.selfId()).asRuntimeException();
      }
      return TransferLeaderResponse.newBuilder().setHeader(header()).setNewLeader(next.get()).build();
    }
    final String leader = raft.leader().orElseThrow(() -> Status.UNAVAILABLE
        .withDescription("no leader is known to " + raft.selfId() + "; retry shortly").asRuntimeException());
    final Target leaderSpec = statusTargets().stream().filter(p -> p.name().equals(leader)).findFirst()
        .orElseThrow(() -> Status.UNAVAILABLE.withDescription("leader " + leader + " is not in this member's "
            + "configuration").asRuntimeException());
    return ClusterGrpc.newBlockingStub(channel(leaderSpec))
        .withDeadlineAfter(TRANSFER_TIMEOUT.toMillis() + PEER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .transferLeader(TransferLeaderRequest.newBuilder().setTarget(target.orElse("")).build());
  }

  /** This member's own view; with {@code contentHash} also the hash of its key space. */
  Member local(boolean contentHash) {
    final Member.Builder m = base(new Target(raft.selfId(), member.self().peerAddress(),
        member.self().clientAddress()));
    try {
      final var info = raft.division().getInfo();
      final RoleInfoProto role = info.getRoleInfoProto();
      final var state = raft.readLocal(Query.newBuilder()
          .setMemberState(MemberStateQuery.newBuilder().setContentHash(contentHash)).build()).getMemberState();
      return m.setRole(role.getRole().name())
          .setTerm(info.getCurrentTerm())
          .setLeader(raft.leader().orElse(""))
          .setCommitIndex(raft.commitIndex())
          .setAppliedIndex(state.getAppliedIndex())
          .setRevision(state.getRevision())
          .setRoleElapsedMs(role.getRoleElapsedTimeMs())
          .setHealthy(info.isAlive())
          .setContentHash(state.getContentHash())
          .build();
    } catch (RuntimeException e) {
      return m.setRole("UNKNOWN").setHealthy(false).build();
    }
  }

  private Member remote(Target peer) {
    try {
      return ClusterGrpc.newBlockingStub(channel(peer))
          .withDeadlineAfter(PEER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .memberStatus(MemberStatusRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      return base(peer).setRole("UNKNOWN").setHealthy(false).build();
    }
  }

  private static Member.Builder base(Target peer) {
    return Member.newBuilder().setName(peer.name()).setRaftAddress(peer.raftAddress())
        .setClientAddress(peer.clientAddress());
  }

  private ManagedChannel channel(Target peer) {
    if (peer.clientAddress().isEmpty()) {
      throw Status.UNAVAILABLE.withDescription("the client address of " + peer.name() + " is unknown")
          .asRuntimeException();
    }
    return peerChannels.computeIfAbsent(peer.clientAddress(), channels);
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setMember(raft.selfId()).setRaftTerm(raft.term()).build();
  }

  /** Closes the channels to peers. */
  public void close() {
    membershipExecutor.shutdownNow();
    peerChannels.values().forEach(ManagedChannel::shutdownNow);
    peerChannels.clear();
  }
}
