package io.berth.server.raft;

import io.berth.proto.internal.v1.MemberState;
import io.berth.proto.internal.v1.MemberStateQuery;
import io.berth.proto.internal.v1.Query;
import io.berth.proto.internal.v1.QueryResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;

import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;

/**
 * Asks running peers for their local state (applied index, revision) without this member being part of the
 * group yet: used before start to tell a brand-new cluster from one that already holds data.
 */
public final class PeerProbe {
  private PeerProbe() {}

  /**
   * Each reachable peer's state, read locally at that peer (stale reads: no leader needed). Peers that do not
   * answer within {@code timeout} are left out.
   */
  public static Map<String, MemberState> states(List<RaftNode.Member> peers, UUID groupId, Duration timeout) {
    final List<RaftPeer> raftPeers = new ArrayList<>();
    for (RaftNode.Member m : peers) {
      raftPeers.add(RaftPeer.newBuilder().setId(m.id()).setAddress(m.raftAddress()).build());
    }
    final RaftGroup group = RaftGroup.valueOf(RaftGroupId.valueOf(groupId), raftPeers);
    final RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
    final Map<String, MemberState> states = new LinkedHashMap<>();
    try (RaftClient client = RaftClient.newBuilder().setClientId(ClientId.randomId()).setRaftGroup(group)
        .setProperties(p).setParameters(new Parameters()).setRetryPolicy(RetryPolicies.noRetry()).build()) {
      final Map<String, CompletableFuture<QueryResult>> pending = new LinkedHashMap<>();
      final Query query = Query.newBuilder().setMemberState(MemberStateQuery.getDefaultInstance()).build();
      for (RaftPeer peer : raftPeers) {
        pending.put(peer.getId().toString(), client.async()
            .sendStaleRead(RaftCodec.toMessage(query), 0, peer.getId())
            .thenApply(reply -> {
              try {
                return reply.isSuccess() ? RaftCodec.queryResult(reply.getMessage()) : null;
              } catch (IOException e) {
                return null;
              }
            }));
      }
      final long deadline = System.nanoTime() + timeout.toNanos();
      for (Map.Entry<String, CompletableFuture<QueryResult>> e : pending.entrySet()) {
        try {
          final QueryResult r = e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (r != null) {
            states.put(e.getKey(), r.getMemberState());
          }
        } catch (Exception ignored) {
          // unreachable, not started, or not a member of this group: it holds nothing we can see
        }
      }
    } catch (IOException e) {
      // closing the probe client failed: the answers collected so far stand
    }
    return states;
  }

}
