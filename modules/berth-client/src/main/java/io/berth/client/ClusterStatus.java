package io.berth.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster as seen by one member.
 *
 * @param leader  the current leader's name, empty when there is none (e.g. during an election)
 * @param term    the current Raft term
 * @param members every member, in the order the answering member lists them
 * @param member  the member that answered
 */
public record ClusterStatus(Optional<String> leader, long term, List<MemberStatus> members, String member) {
  public ClusterStatus {
    Objects.requireNonNull(leader, "leader");
    members = List.copyOf(members);
    Objects.requireNonNull(member, "member");
  }
}
