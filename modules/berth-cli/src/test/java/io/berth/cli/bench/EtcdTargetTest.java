package io.berth.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The etcd target speaks etcd's KV API: what it sends to a fake etcd KV service on a free port. */
class EtcdTargetTest {
  @Test
  void putsAndLinearizableRangesReachTheKvServiceAndFailuresAreNamedByStatusCode() throws Exception {
    final List<PutRequest> puts = new CopyOnWriteArrayList<>();
    final List<RangeRequest> ranges = new CopyOnWriteArrayList<>();
    final Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new KVGrpc.KVImplBase() {
          @Override
          public void put(PutRequest request, StreamObserver<PutResponse> out) {
            if (request.getKey().toStringUtf8().equals("fail")) {
              out.onError(Status.RESOURCE_EXHAUSTED.withDescription("quota").asRuntimeException());
              return;
            }
            puts.add(request);
            out.onNext(PutResponse.getDefaultInstance());
            out.onCompleted();
          }

          @Override
          public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
            ranges.add(request);
            out.onNext(RangeResponse.getDefaultInstance());
            out.onCompleted();
          }
        }).build().start();
    try (BenchTarget etcd = EtcdTargets.connect("127.0.0.1:" + server.getPort(), Duration.ofSeconds(10))) {
      etcd.put("k1".getBytes(), new byte[] {1, 2, 3});
      etcd.get("k1".getBytes());
      assertEquals(ByteString.copyFromUtf8("k1"), puts.get(0).getKey());
      assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}), puts.get(0).getValue());
      assertEquals(ByteString.copyFromUtf8("k1"), ranges.get(0).getKey());
      assertFalse(ranges.get(0).getSerializable(), "a linearizable read: serializable=false");
      final Exception failure = assertThrows(Exception.class, () -> etcd.put("fail".getBytes(), new byte[0]));
      assertEquals("RESOURCE_EXHAUSTED", etcd.errorKind(failure));
    } finally {
      server.shutdownNow();
    }
  }
}
