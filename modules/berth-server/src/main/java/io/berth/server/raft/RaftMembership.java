package io.berth.server.raft;

import io.berth.server.raft.RaftNode.Member;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ReconfigurationInProgressException;
import org.apache.ratis.protocol.exceptions.SetConfigurationException;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/**
 * The Raft configuration of a member's group as Ratis holds it, and the one way Berth changes it: a
 * compare-and-set {@code setConfiguration} sent by the leader to itself. Deciding whether a change is safe is
 * not done here (see {@code io.berth.server.membership}).
 */
public final class RaftMembership {
  /** The configuration as this member knows it; {@code stable} is false during a joint-consensus change. */
  public record Configuration(long index, List<Member> voters, List<Member> listeners, boolean stable) {
    public Configuration {
      voters = List.copyOf(voters);
      listeners = List.copyOf(listeners);
    }

    /** True when this member knows no configuration (it waits to be added to a running cluster). */
    public boolean empty() {
      return voters.isEmpty() && listeners.isEmpty();
    }

    public Optional<Member> find(String id) {
      return java.util.stream.Stream.concat(voters.stream(), listeners.stream())
          .filter(m -> m.id().equals(id)).findFirst();
    }

    public boolean isVoter(String id) {
      return voters.stream().anyMatch(m -> m.id().equals(id));
    }
  }

  /**
   * What the leader knows of a member's progress.
   *
   * @param commitIndex    the member's commit index as last reported (the leader's own for itself)
   * @param lastContactMs  milliseconds since the leader last heard from it (0 for the leader itself)
   */
  public record Progress(long commitIndex, long lastContactMs) {}

  private final RaftNode node;

  public RaftMembership(RaftNode node) {
    this.node = node;
  }

  /** The current configuration (the new one during a joint-consensus change). */
  public Configuration configuration() {
    final RaftConfiguration conf = node.division().getRaftConf();
    return new Configuration(conf.getLogEntryIndex(), members(conf.getCurrentPeers(RaftPeerRole.FOLLOWER)),
        members(conf.getCurrentPeers(RaftPeerRole.LISTENER)),
        conf.getPreviousPeers(RaftPeerRole.FOLLOWER).isEmpty()
            && conf.getPreviousPeers(RaftPeerRole.LISTENER).isEmpty());
  }

  /**
   * Each member's progress by peer id, as this member knows it: complete only on the leader (a follower knows
   * only itself). The leader is included with its own commit index and a last contact of 0.
   */
  public Map<String, Progress> progress() {
    final RaftServer.Division division = node.division();
    final Map<String, Long> lastContact = new HashMap<>();
    if (division.getInfo().isLeader()) {
      division.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList()
          .forEach(f -> lastContact.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs()));
    }
    lastContact.put(node.selfId(), 0L);
    final Map<String, Progress> progress = new HashMap<>();
    for (CommitInfoProto c : division.getCommitInfos()) {
      final String id = c.getServer().getId().toStringUtf8();
      final Long contact = lastContact.get(id);
      if (contact != null) {
        progress.put(id, new Progress(c.getCommitIndex(), contact));
      }
    }
    progress.put(node.selfId(), new Progress(node.commitIndex(), 0L));
    return progress;
  }

  /**
   * Replaces the configuration {@code expected} with ({@code voters}, {@code listeners}) and waits until the
   * change is committed. Only the leader may call it. Ratis first brings members new to the configuration up to
   * date (they do not count toward any majority meanwhile), then commits the joint configuration and the new
   * one.
   *
   * @throws ConcurrentChangeException when the configuration is no longer {@code expected} or another change is
   *                                   in progress
   * @throws IOException               when the change failed or did not complete (it may still complete)
   */
  public void change(Configuration expected, List<Member> voters, List<Member> listeners) throws IOException {
    final SetConfigurationRequest.Arguments args = SetConfigurationRequest.Arguments.newBuilder()
        .setServersInCurrentConf(peers(expected.voters()))
        .setListenersInCurrentConf(peers(expected.listeners()))
        .setServersInNewConf(peers(voters))
        .setListenersInNewConf(peers(listeners))
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .build();
    final RaftClientReply reply;
    try {
      reply = node.adminClient().admin().setConfiguration(args);
    } catch (ReconfigurationInProgressException e) {
      throw new ConcurrentChangeException("another membership change is in progress; retry when it is done", e);
    } catch (SetConfigurationException e) {
      throw new ConcurrentChangeException("the configuration changed meanwhile; look again and retry", e);
    }
    if (!reply.isSuccess()) {
      final RaftException e = reply.getException();
      if (e instanceof ReconfigurationInProgressException) {
        throw new ConcurrentChangeException("another membership change is in progress; retry when it is done", e);
      }
      if (e instanceof SetConfigurationException) {
        throw new ConcurrentChangeException("the configuration changed meanwhile; look again and retry", e);
      }
      throw new IOException("configuration change failed: " + (e == null ? reply : e.getMessage()), e);
    }
  }

  /** The configuration changed under a compare-and-set, or another change was in progress. */
  public static final class ConcurrentChangeException extends IOException {
    public ConcurrentChangeException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static List<Member> members(Collection<RaftPeer> peers) {
    return peers.stream().map(Member::of)
        .sorted(java.util.Comparator.comparing(Member::id)).toList();
  }

  private static List<RaftPeer> peers(List<Member> members) {
    return members.stream().map(Member::toPeer).toList();
  }
}
