package io.berth.client;

import com.google.protobuf.ByteString;
import io.berth.proto.v1.CompareAndSetResponse;
import io.berth.proto.v1.DeleteResponse;
import io.berth.proto.v1.GetResponse;
import io.berth.proto.v1.Member;
import io.berth.proto.v1.PutResponse;
import io.berth.proto.v1.ResponseHeader;
import io.berth.proto.v1.ScanResponse;
import io.berth.proto.v1.StatusResponse;
import java.util.List;
import java.util.Optional;

/** Converts between the public result types and the generated protobuf messages; the only place that does. */
final class ProtoCodec {
  private ProtoCodec() {}

  static KeyValue keyValue(io.berth.proto.v1.KeyValue kv) {
    return new KeyValue(kv.getKey().toByteArray(), kv.getValue().toByteArray(), kv.getCreateRevision(),
        kv.getModRevision(), kv.getVersion());
  }

  static io.berth.proto.v1.Consistency consistency(Consistency c) {
    return switch (c) {
      case LINEARIZABLE -> io.berth.proto.v1.Consistency.LINEARIZABLE;
      case SERIALIZABLE -> io.berth.proto.v1.Consistency.SERIALIZABLE;
    };
  }

  static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }

  static GetResult get(GetResponse r) {
    final ResponseHeader h = r.getHeader();
    final Optional<KeyValue> kv = r.getFound() ? Optional.of(keyValue(r.getKv())) : Optional.empty();
    return new GetResult(kv, h.getRevision(), h.getMember(), h.getRaftTerm());
  }

  static PutResult put(PutResponse r) {
    final ResponseHeader h = r.getHeader();
    return new PutResult(keyValue(r.getKv()), r.hasPrevKv() ? Optional.of(keyValue(r.getPrevKv())) : Optional.empty(),
        h.getRevision(), h.getMember(), h.getRaftTerm(), r.getDeduplicated());
  }

  static DeleteResult delete(DeleteResponse r) {
    final ResponseHeader h = r.getHeader();
    return new DeleteResult(r.getDeleted() > 0,
        r.hasPrevKv() ? Optional.of(keyValue(r.getPrevKv())) : Optional.empty(),
        h.getRevision(), h.getMember(), h.getRaftTerm(), r.getDeduplicated());
  }

  static ScanResult scan(ScanResponse r) {
    final ResponseHeader h = r.getHeader();
    final List<KeyValue> kvs = r.getKvsList().stream().map(ProtoCodec::keyValue).toList();
    return new ScanResult(kvs, r.getCount(), r.getMore(), h.getRevision(), h.getMember(), h.getRaftTerm());
  }

  static CasResult cas(CompareAndSetResponse r) {
    final ResponseHeader h = r.getHeader();
    return new CasResult(r.getSucceeded(), r.hasKv() ? Optional.of(keyValue(r.getKv())) : Optional.empty(),
        h.getRevision(), h.getMember(), h.getRaftTerm(), r.getDeduplicated());
  }

  static Membership membership(io.berth.proto.v1.ListMembersResponse r) {
    final List<Membership.Member> members = r.getMembersList().stream().map(m -> new Membership.Member(
        m.getName(), m.getPod(), "LISTENER".equals(m.getRole()) ? Membership.Role.LISTENER : Membership.Role.VOTER,
        m.getRaftAddress(), m.getClientAddress(), m.getLeader(), m.getCommitIndex(), m.getLag(), m.getLive()))
        .toList();
    return new Membership(nonEmpty(r.getLeader()), r.getConfigIndex(), members, r.getHeader().getMember());
  }

  static ClusterStatus status(StatusResponse r) {
    final List<MemberStatus> members = r.getMembersList().stream().map(ProtoCodec::member).toList();
    return new ClusterStatus(nonEmpty(r.getLeader()), r.getTerm(), members, r.getHeader().getMember());
  }

  static MemberStatus member(Member m) {
    return new MemberStatus(m.getName(), MemberStatus.Role.parse(m.getRole()), m.getRaftAddress(),
        m.getClientAddress(), m.getCommitIndex(), m.getAppliedIndex(), m.getHealthy(), m.getTerm(),
        nonEmpty(m.getLeader()), m.getRevision(), m.getRoleElapsedMs());
  }

  private static Optional<String> nonEmpty(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
