package io.berth.cli.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An etcd v3 member through etcd's published gRPC API ({@code etcdserverpb.KV}): Put, and Range with
 * {@code serializable=false} (etcd's linearizable read). One plaintext channel to one endpoint, no retries: the
 * comparison runs against a healthy cluster, and a failure is counted, not hidden.
 */
final class EtcdTarget implements BenchTarget {
  private final ManagedChannel channel;
  private final KVGrpc.KVBlockingStub kv;
  private final long timeoutMillis;

  /** @param endpoint host:port of an etcd member's client URL (plain HTTP/2) */
  EtcdTarget(String endpoint, Duration timeout) {
    this.channel = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    this.kv = KVGrpc.newBlockingStub(channel);
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public void put(byte[] key, byte[] value) {
    kv.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
        .put(PutRequest.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)).build());
  }

  @Override
  public void get(byte[] key) {
    kv.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
        .range(RangeRequest.newBuilder().setKey(ByteString.copyFrom(key)).setSerializable(false).build());
  }

  @Override
  public String errorKind(Throwable failure) {
    final Status status = Status.fromThrowable(failure);
    return status.getCode() == Status.Code.UNKNOWN && status.getDescription() == null
        ? failure.getClass().getSimpleName() : status.getCode().name();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
