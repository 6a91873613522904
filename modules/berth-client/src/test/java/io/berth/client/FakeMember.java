package io.berth.client;

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
import io.berth.proto.v1.TransferLeaderRequest;
import io.berth.proto.v1.TransferLeaderResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One fake member on an in-process transport: a tiny in-memory store that records every request it receives
 * and can be told to fail every call with a status, or to never answer.
 */
final class FakeMember implements AutoCloseable {
  final String name;
  final List<Message> received = new CopyOnWriteArrayList<>();
  volatile Status failWith;
  volatile boolean silent;
  private final Map<ByteString, KeyValue> data = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
  private long revision;
  private final Server server;

  FakeMember(String name) throws IOException {
    this.name = name;
    this.server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new Kv()).addService(new Cluster()).build().start();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  <T extends Message> List<T> received(Class<T> type) {
    return received.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private ResponseHeader header() {
    return ResponseHeader.newBuilder().setRevision(revision).setMember(name).setRaftTerm(7).build();
  }

  /** Records the request, then fails, stays silent, or answers with {@code answer} (under the store's lock). */
  private <Q extends Message, R> void handle(Q request, StreamObserver<R> observer, Function<Q, R> answer) {
    received.add(request);
    if (silent) {
      return;
    }
    final Status failure = failWith;
    if (failure != null) {
      observer.onError(failure.asRuntimeException());
      return;
    }
    final R response;
    synchronized (this) {
      response = answer.apply(request);
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private KeyValue write(ByteString key, ByteString value) {
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
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
      handle(request, observer, r -> {
        final KeyValue old = data.get(r.getKey());
        final PutResponse.Builder b = PutResponse.newBuilder().setKv(write(r.getKey(), r.getValue()));
        if (r.getPrevKv() && old != null) {
          b.setPrevKv(old);
        }
        return b.setHeader(header()).build();
      });
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> observer) {
      handle(request, observer, r -> {
        final KeyValue kv = data.get(r.getKey());
        final GetResponse.Builder b = GetResponse.newBuilder().setHeader(header()).setFound(kv != null);
        return (kv == null ? b : b.setKv(kv)).build();
      });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> observer) {
      handle(request, observer, r -> {
        final KeyValue old = data.remove(r.getKey());
        if (old != null) {
          revision++;
        }
        final DeleteResponse.Builder b = DeleteResponse.newBuilder().setDeleted(old == null ? 0 : 1);
        if (r.getPrevKv() && old != null) {
          b.setPrevKv(old);
        }
        return b.setHeader(header()).build();
      });
    }

    @Override
    public void scan(ScanRequest request, StreamObserver<ScanResponse> observer) {
      handle(request, observer, r -> {
        final List<KeyValue> all = new ArrayList<>();
        for (KeyValue kv : data.values()) {
          final boolean in = r.getPrefix().isEmpty() && r.getStart().isEmpty()
              ? true : !r.getPrefix().isEmpty() ? kv.getKey().startsWith(r.getPrefix())
              : ByteString.unsignedLexicographicalComparator().compare(kv.getKey(), r.getStart()) >= 0
                  && (r.getEnd().isEmpty()
                      || ByteString.unsignedLexicographicalComparator().compare(kv.getKey(), r.getEnd()) < 0);
          if (in) {
            all.add(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
          }
        }
        final int shown = r.getLimit() == 0 ? all.size() : (int) Math.min(r.getLimit(), all.size());
        final ScanResponse.Builder b = ScanResponse.newBuilder().setHeader(header()).setCount(all.size())
            .setMore(shown < all.size());
        if (!r.getCountOnly()) {
          b.addAllKvs(all.subList(0, shown));
        }
        return b.build();
      });
    }

    @Override
    public void compareAndSet(CompareAndSetRequest request, StreamObserver<CompareAndSetResponse> observer) {
      handle(request, observer, r -> {
        final KeyValue old = data.get(r.getKey());
        final boolean match = switch (r.getExpectCase()) {
          case EXPECT_VERSION -> (old == null ? 0 : old.getVersion()) == r.getExpectVersion();
          case EXPECT_MOD_REVISION -> old != null && old.getModRevision() == r.getExpectModRevision();
          case EXPECT_VALUE -> old != null && old.getValue().equals(r.getExpectValue());
          case EXPECT_NOT_SET -> false;
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
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
      handle(request, observer, r -> StatusResponse.newBuilder().setHeader(header()).setLeader("m1").setTerm(7)
          .addMembers(Member.newBuilder().setName("m1").setRole("LEADER").setRaftAddress("m1:7380")
              .setClientAddress("m1:7379").setCommitIndex(12).setAppliedIndex(11).setHealthy(true).setTerm(7)
              .setLeader("m1").setRevision(revision).setRoleElapsedMs(1500))
          .addMembers(Member.newBuilder().setName("m2").setRole("UNKNOWN").setRaftAddress("m2:7380")
              .setClientAddress("m2:7379"))
          .build());
    }

    @Override
    public void transferLeader(TransferLeaderRequest request, StreamObserver<TransferLeaderResponse> observer) {
      handle(request, observer, r -> TransferLeaderResponse.newBuilder().setHeader(header())
          .setNewLeader(r.getTarget().isEmpty() ? "m2" : r.getTarget()).build());
    }
  }
}
