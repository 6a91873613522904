package io.berth.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.CompareAndSetRequest;
import io.berth.proto.v1.CompareAndSetResponse;
import io.berth.proto.v1.DeleteRequest;
import io.berth.proto.v1.DeleteResponse;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.GetResponse;
import io.berth.proto.v1.KVGrpc;
import io.berth.proto.v1.KeyValue;
import io.berth.proto.v1.Member;
import io.berth.proto.v1.PutRequest;
import io.berth.proto.v1.PutResponse;
import io.berth.proto.v1.ResponseHeader;
import io.berth.proto.v1.ScanRequest;
import io.berth.proto.v1.ScanResponse;
import io.berth.proto.v1.StatusRequest;
import io.berth.proto.v1.StatusResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A one-member Berth stand-in on a real loopback port: an in-memory map with etcd-style revisions and the
 * API's validation messages, so the CLI is tested end to end over the network without Raft.
 */
final class FakeBerthServer implements AutoCloseable {
  static final int MAX_VALUE_BYTES = 64;
  private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

  final List<Message> received = new CopyOnWriteArrayList<>();
  private final NavigableMap<ByteString, KeyValue> data = new TreeMap<>(ORDER);
  private long revision;
  private final Server server;

  FakeBerthServer() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new Kv()).addService(new Cluster()).build().start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  <T extends Message> List<T> received(Class<T> type) {
    return received.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setRevision(revision).setMember("berth-0").setRaftTerm(3).build();
  }

  private synchronized <R> void answer(Message request, StreamObserver<R> observer, Supplier<R> response) {
    received.add(request);
    try {
      final R r = response.get();
      observer.onNext(r);
      observer.onCompleted();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
    }
  }

  private static void checkKey(ByteString key) {
    if (key.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("key must not be empty").asRuntimeException();
    }
  }

  private KeyValue write(ByteString key, ByteString value) {
    if (value.size() > MAX_VALUE_BYTES) {
      throw Status.INVALID_ARGUMENT.withDescription("value too large: " + value.size() + " bytes, the limit is "
          + MAX_VALUE_BYTES + " (--max-value-bytes)").asRuntimeException();
    }
    final KeyValue old = data.get(key);
    revision++;
    final KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value)
        .setCreateRevision(old == null ? revision : old.getCreateRevision()).setModRevision(revision)
        .setVersion(old == null ? 1 : old.getVersion() + 1).build();
    data.put(key, kv);
    return kv;
  }

  private final class Kv extends KVGrpc.KVImplBase {
    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> observer) {
      answer(r, observer, () -> {
        checkKey(r.getKey());
        final KeyValue kv = write(r.getKey(), r.getValue());
        return PutResponse.newBuilder().setHeader(header()).setKv(kv).build();
      });
    }

    @Override
    public void get(GetRequest r, StreamObserver<GetResponse> observer) {
      answer(r, observer, () -> {
        checkKey(r.getKey());
        final KeyValue kv = data.get(r.getKey());
        final GetResponse.Builder b = GetResponse.newBuilder().setHeader(header()).setFound(kv != null);
        return (kv == null ? b : b.setKv(kv)).build();
      });
    }

    @Override
    public void delete(DeleteRequest r, StreamObserver<DeleteResponse> observer) {
      answer(r, observer, () -> {
        checkKey(r.getKey());
        final KeyValue old = data.remove(r.getKey());
        if (old != null) {
          revision++;
        }
        return DeleteResponse.newBuilder().setHeader(header()).setDeleted(old == null ? 0 : 1).build();
      });
    }

    @Override
    public void scan(ScanRequest r, StreamObserver<ScanResponse> observer) {
      answer(r, observer, () -> {
        final List<KeyValue> all = new ArrayList<>();
        for (KeyValue kv : data.values()) {
          final ByteString k = kv.getKey();
          final boolean in = r.getPrefix().isEmpty()
              ? ORDER.compare(k, r.getStart()) >= 0 && (r.getEnd().isEmpty() || ORDER.compare(k, r.getEnd()) < 0)
              : k.startsWith(r.getPrefix());
          if (in) {
            all.add(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
          }
        }
        final int shown = r.getLimit() == 0 ? all.size() : (int) Math.min(r.getLimit(), all.size());
        final ScanResponse.Builder b = ScanResponse.newBuilder().setHeader(header()).setCount(all.size())
            .setMore(shown < all.size());
        return (r.getCountOnly() ? b : b.addAllKvs(all.subList(0, shown))).build();
      });
    }

    @Override
    public void compareAndSet(CompareAndSetRequest r, StreamObserver<CompareAndSetResponse> observer) {
      answer(r, observer, () -> {
        checkKey(r.getKey());
        final KeyValue old = data.get(r.getKey());
        final boolean match = switch (r.getExpectCase()) {
          case EXPECT_VERSION -> (old == null ? 0 : old.getVersion()) == r.getExpectVersion();
          case EXPECT_MOD_REVISION -> old != null && old.getModRevision() == r.getExpectModRevision();
          case EXPECT_VALUE -> old != null && old.getValue().equals(r.getExpectValue());
          case EXPECT_NOT_SET -> throw Status.INVALID_ARGUMENT.withDescription("expect is required")
              .asRuntimeException();
        };
        final CompareAndSetResponse.Builder b = CompareAndSetResponse.newBuilder().setSucceeded(match);
        if (!match) {
          if (old != null) {
            b.setKv(old);
          }
        } else if (r.getDelete()) {
          data.remove(r.getKey());
          revision++;
        } else {
          b.setKv(write(r.getKey(), r.getPutValue()));
        }
        return b.setHeader(header()).build();
      });
    }
  }

  private final class Cluster extends ClusterGrpc.ClusterImplBase {
    @Override
    public void status(StatusRequest r, StreamObserver<StatusResponse> observer) {
      answer(r, observer, () -> StatusResponse.newBuilder().setHeader(header()).setLeader("berth-0").setTerm(3)
          .addMembers(member("berth-0", "LEADER", 7380, 42, 42, true))
          .addMembers(member("berth-1", "FOLLOWER", 7390, 42, 41, true))
          .addMembers(member("berth-2", "UNKNOWN", 7400, 0, 0, false))
          .build());
    }

    private Member member(String name, String role, int raftPort, long commit, long applied, boolean healthy) {
      final Member.Builder b = Member.newBuilder().setName(name).setRole(role)
          .setRaftAddress("127.0.0.1:" + raftPort).setClientAddress("127.0.0.1:" + (raftPort - 1))
          .setCommitIndex(commit).setAppliedIndex(applied).setHealthy(healthy);
      return healthy ? b.setTerm(3).setLeader("berth-0").setRevision(revision).setRoleElapsedMs(1234).build()
          : b.build();
    }
  }
}
