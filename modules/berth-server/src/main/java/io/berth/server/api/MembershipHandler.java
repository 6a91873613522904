package io.berth.server.api;

import io.berth.proto.v1.AddMemberRequest;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.ConfigMember;
import io.berth.proto.v1.ListMembersRequest;
import io.berth.proto.v1.ListMembersResponse;
import io.berth.proto.v1.MemberStatusRequest;
import io.berth.proto.v1.PromoteMemberRequest;
import io.berth.proto.v1.RemoveMemberRequest;
import io.berth.proto.v1.ResponseHeader;
import io.berth.server.identity.Incarnation;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.PeerSpec;
import io.berth.server.membership.MembershipException;
import io.berth.server.membership.MembershipPlan;
import io.berth.server.membership.MembershipService;
import io.berth.server.raft.RaftMembership;
import io.berth.server.raft.RaftMembership.Configuration;
import io.berth.server.raft.RaftNode;
import io.berth.server.raft.RaftNode.Member;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The membership calls of the Cluster service. A member that does not lead forwards each call to the leader
 * (one hop: the leader never forwards); the leader decides with {@link MembershipService}. Removing the leader
 * itself first hands leadership to the most caught-up remaining voter, so the removal costs a handoff instead
 * of an election timeout.
 */
final class MembershipHandler {
  static final Duration DEFAULT_PROMOTE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration PEER_DEADLINE = Duration.ofSeconds(2);
  private static final Duration HANDOFF = Duration.ofSeconds(10);

  private final RaftNode raft;
  private final MemberConfig member;
  private final MembershipService service;
  private final Function<String, Channel> channels;

  /** @param channels a channel to a member's client address ({@code host:port}), owned by the caller */
  MembershipHandler(RaftNode raft, MemberConfig member, Function<String, Channel> channels) {
    this.raft = raft;
    this.member = member;
    this.service = new MembershipService(raft);
    this.channels = channels;
  }

  RaftMembership raftMembership() {
    return service.raft();
  }

  /** The client address of the member with peer id {@code id}: from the configuration, else derived. */
  String clientAddressOf(Member m) {
    if (!m.clientAddress().isEmpty()) {
      return m.clientAddress();
    }
    return member.addressesOf(Incarnation.pod(m.id())).map(PeerSpec::clientAddress).orElse("");
  }

  ListMembersResponse list(ListMembersRequest request) {
    if (raft.isLeader()) {
      return response(service.raft().configuration(), service.raft().progress());
    }
    final Optional<String> leader = raft.leader();
    if (leader.isPresent()) {
      try {
        return leaderStub(leader.get(), PEER_DEADLINE).listMembers(request);
      } catch (StatusRuntimeException e) {
        // the leader is unreachable from here: answer with what this member knows
      }
    }
    return response(service.raft().configuration(), Map.of());
  }

  ListMembersResponse add(AddMemberRequest request) throws IOException {
    if (!raft.isLeader()) {
      return leaderStub(requireLeader(), PEER_DEADLINE.plus(Duration.ofSeconds(60))).addMember(request);
    }
    final String name = request.getName().strip();
    if (name.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("no member named; pass the pod name, e.g. berth-3")
          .asRuntimeException();
    }
    final String pod = Incarnation.pod(name);
    final Optional<PeerSpec> derived = member.addressesOf(pod);
    final String raftAddress = !request.getRaftAddress().isEmpty() ? request.getRaftAddress()
        : derived.map(PeerSpec::peerAddress).orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription(
            "the addresses of " + pod + " cannot be derived (not a pod of this StatefulSet, nor in --peers); pass"
            + " --raft-address and --client-address").asRuntimeException());
    final String clientAddress = !request.getClientAddress().isEmpty() ? request.getClientAddress()
        : derived.map(PeerSpec::clientAddress).orElse("");
    final String id = name.indexOf(Incarnation.SEPARATOR) >= 0 ? name : runningPeerId(pod, clientAddress);
    return response(service.add(new Member(id, raftAddress, clientAddress)), service.raft().progress());
  }

  ListMembersResponse promote(PromoteMemberRequest request) throws IOException, InterruptedException {
    final Duration timeout = request.getTimeoutMs() > 0 ? Duration.ofMillis(request.getTimeoutMs())
        : DEFAULT_PROMOTE_TIMEOUT;
    if (!raft.isLeader()) {
      return leaderStub(requireLeader(), timeout.plus(PEER_DEADLINE).plus(PEER_DEADLINE)).promoteMember(request);
    }
    return response(service.promote(request.getName(), timeout), service.raft().progress());
  }

  ListMembersResponse remove(RemoveMemberRequest request) throws IOException {
    if (raft.isLeader()) {
      final MembershipPlan plan = service.plan();
      final List<String> ids = request.getNamesList().stream().map(n -> plan.resolve(n).id()).toList();
      if (!ids.contains(raft.selfId())) {
        return response(service.remove(request.getNamesList()), service.raft().progress());
      }
      plan.remove(request.getNamesList()); // refuse before handing leadership over, not after
      final Optional<String> next = plan.current().voters().stream().map(Member::id)
          .filter(id -> !ids.contains(id) && plan.live(id))
          .min((a, b) -> Long.compare(plan.lag(a), plan.lag(b)));
      if (next.isEmpty() || raft.transferLeadership(next, HANDOFF).isEmpty()) {
        throw Status.UNAVAILABLE.withDescription("cannot remove the leader " + raft.selfId() + ": no remaining"
            + " voter took leadership over; retry shortly").asRuntimeException();
      }
    }
    return leaderStub(requireLeader(), PEER_DEADLINE.plus(Duration.ofSeconds(60))).removeMember(request);
  }

  /** Asks the pod at {@code clientAddress} which incarnation it runs; it must be running and not yet a member. */
  private String runningPeerId(String pod, String clientAddress) {
    if (clientAddress.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("the client address of " + pod + " is unknown; pass"
          + " --client-address").asRuntimeException();
    }
    final String id;
    try {
      id = ClusterGrpc.newBlockingStub(channels.apply(clientAddress))
          .withDeadlineAfter(PEER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .memberStatus(MemberStatusRequest.getDefaultInstance()).getName();
    } catch (StatusRuntimeException e) {
      throw Status.FAILED_PRECONDITION.withDescription("member " + pod + " at " + clientAddress + " did not answer ("
          + e.getStatus().getCode() + "); start it first (on an empty volume it waits to be added) and retry")
          .asRuntimeException();
    }
    if (!Incarnation.of(id, pod)) {
      throw Status.FAILED_PRECONDITION.withDescription(clientAddress + " answers as member " + id + ", not as pod "
          + pod + "; check the address").asRuntimeException();
    }
    return id;
  }

  private String requireLeader() {
    return raft.leader().orElseThrow(() -> Status.UNAVAILABLE.withDescription("no leader is known to "
        + raft.selfId() + "; membership changes need one. Retry shortly").asRuntimeException());
  }

  private ClusterGrpc.ClusterBlockingStub leaderStub(String leader, Duration deadline) {
    final Configuration conf = service.raft().configuration();
    final String address = conf.find(leader).map(this::clientAddressOf).filter(a -> !a.isEmpty())
        .orElseThrow(() -> Status.UNAVAILABLE.withDescription("the client address of leader " + leader
            + " is unknown to " + raft.selfId() + "; send the request to the leader").asRuntimeException());
    return ClusterGrpc.newBlockingStub(channels.apply(address))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ListMembersResponse response(Configuration conf, Map<String, RaftMembership.Progress> progress) {
    final String leader = raft.leader().orElse("");
    final RaftMembership.Progress leaderProgress = progress.get(leader);
    final long liveWithin = raft.settings().electionTimeoutMin().toMillis();
    final List<ConfigMember> members = new ArrayList<>();
    Stream.concat(conf.voters().stream().map(m -> Map.entry(m, "VOTER")),
        conf.listeners().stream().map(m -> Map.entry(m, "LISTENER"))).forEach(e -> {
          final Member m = e.getKey();
          final RaftMembership.Progress p = progress.get(m.id());
          members.add(ConfigMember.newBuilder()
              .setName(m.id())
              .setPod(Incarnation.pod(m.id()))
              .setRole(e.getValue())
              .setRaftAddress(m.raftAddress())
              .setClientAddress(clientAddressOf(m))
              .setLeader(m.id().equals(leader))
              .setCommitIndex(p == null ? 0 : p.commitIndex())
              .setLag(p == null || leaderProgress == null ? 0
                  : Math.max(0, leaderProgress.commitIndex() - p.commitIndex()))
              .setLive(p != null && p.lastContactMs() < liveWithin)
              .build());
        });
    return ListMembersResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setMember(raft.selfId()).setRaftTerm(raft.term()))
        .setLeader(leader)
        .setConfigIndex(conf.index())
        .addAllMembers(members)
        .build();
  }

  /** The gRPC status for a refused or failed change. */
  static StatusRuntimeException status(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof MembershipException m) {
      final Status code = m.reason() == MembershipException.Reason.UNKNOWN_MEMBER ? Status.NOT_FOUND
          : Status.FAILED_PRECONDITION;
      return code.withDescription(m.getMessage()).asRuntimeException();
    }
    if (t instanceof MembershipService.NotLeaderException) {
      return Status.UNAVAILABLE.withDescription("leadership moved during the request; retry").asRuntimeException();
    }
    if (t instanceof RaftMembership.ConcurrentChangeException c) {
      return Status.ABORTED.withDescription(c.getMessage()).asRuntimeException();
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
    if (t instanceof IOException) {
      return Status.UNAVAILABLE.withDescription("membership change not confirmed (" + t.getMessage() + "); it may"
          + " or may not have happened: check with `berth member list`").asRuntimeException();
    }
    return Status.INTERNAL.withDescription("membership call failed: " + t).asRuntimeException();
  }
}
