package io.berth.client;

import static io.berth.client.ProtoCodec.bytes;

import io.berth.client.Failover.Kind;
import io.berth.proto.v1.AddMemberRequest;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.ListMembersRequest;
import io.berth.proto.v1.PromoteMemberRequest;
import io.berth.proto.v1.RemoveMemberRequest;
import io.berth.proto.v1.CompareAndSetRequest;
import io.berth.proto.v1.DeleteRequest;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.IdempotencyKey;
import io.berth.proto.v1.KVGrpc;
import io.berth.proto.v1.PutRequest;
import io.berth.proto.v1.ScanRequest;
import io.berth.proto.v1.StatusRequest;
import io.berth.proto.v1.TransferLeaderRequest;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link BerthClient} over gRPC blocking stubs: builds each request once (a write's idempotency key included)
 * and hands it to {@link Failover}, which sends it to one member after another until one answers.
 */
final class GrpcBerthClient implements BerthClient {
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final String clientId;
  private final AtomicLong sequence = new AtomicLong();
  private final List<ManagedChannel> channels;
  private final Failover failover;
  private final AtomicBoolean closed = new AtomicBoolean();

  GrpcBerthClient(String clientId, List<ManagedChannel> channels, Failover failover) {
    this.clientId = clientId;
    this.channels = List.copyOf(channels);
    this.failover = failover;
  }

  @Override
  public PutResult put(byte[] key, byte[] value) {
    return put(key, value, false);
  }

  @Override
  public PutResult getAndPut(byte[] key, byte[] value) {
    return put(key, value, true);
  }

  private PutResult put(byte[] key, byte[] value, boolean prevKv) {
    final PutRequest request = PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value))
        .setPrevKv(prevKv).setIdempotency(nextIdempotencyKey()).build();
    return ProtoCodec.put(failover.call(Kind.WRITE, (ch, deadline) -> kv(ch, deadline).put(request)));
  }

  @Override
  public GetResult get(byte[] key, Consistency consistency) {
    final GetRequest request = GetRequest.newBuilder().setKey(bytes(key))
        .setConsistency(ProtoCodec.consistency(consistency)).build();
    return ProtoCodec.get(read((ch, deadline) -> kv(ch, deadline).get(request)));
  }

  @Override
  public DeleteResult delete(byte[] key) {
    return delete(key, false);
  }

  @Override
  public DeleteResult getAndDelete(byte[] key) {
    return delete(key, true);
  }

  private DeleteResult delete(byte[] key, boolean prevKv) {
    final DeleteRequest request = DeleteRequest.newBuilder().setKey(bytes(key)).setPrevKv(prevKv)
        .setIdempotency(nextIdempotencyKey()).build();
    return ProtoCodec.delete(failover.call(Kind.WRITE, (ch, deadline) -> kv(ch, deadline).delete(request)));
  }

  @Override
  public ScanResult scanPrefix(byte[] prefix, ScanOptions options) {
    return scan(scanRequest(options).setPrefix(bytes(prefix)));
  }

  @Override
  public ScanResult scanRange(byte[] start, byte[] end, ScanOptions options) {
    return scan(scanRequest(options).setStart(bytes(start)).setEnd(bytes(end)));
  }

  private static ScanRequest.Builder scanRequest(ScanOptions options) {
    return ScanRequest.newBuilder().setLimit(options.limit()).setKeysOnly(options.keysOnly())
        .setCountOnly(options.countOnly()).setConsistency(ProtoCodec.consistency(options.consistency()));
  }

  private ScanResult scan(ScanRequest.Builder builder) {
    final ScanRequest request = builder.build();
    return ProtoCodec.scan(read((ch, deadline) -> kv(ch, deadline).scan(request)));
  }

  @Override
  public CasResult compareAndSet(byte[] key, Expect expect, byte[] value) {
    return cas(casRequest(key, expect).setPutValue(bytes(value)));
  }

  @Override
  public CasResult compareAndDelete(byte[] key, Expect expect) {
    return cas(casRequest(key, expect).setDelete(true));
  }

  private static CompareAndSetRequest.Builder casRequest(byte[] key, Expect expect) {
    final CompareAndSetRequest.Builder b = CompareAndSetRequest.newBuilder().setKey(bytes(key));
    switch (Objects.requireNonNull(expect, "expect").field()) {
      case VERSION -> b.setExpectVersion(expect.number());
      case MOD_REVISION -> b.setExpectModRevision(expect.number());
      case VALUE -> b.setExpectValue(bytes(expect.valueBytes()));
    }
    return b;
  }

  private CasResult cas(CompareAndSetRequest.Builder builder) {
    final CompareAndSetRequest request = builder.setIdempotency(nextIdempotencyKey()).build();
    return ProtoCodec.cas(failover.call(Kind.WRITE, (ch, deadline) -> kv(ch, deadline).compareAndSet(request)));
  }

  @Override
  public ClusterStatus status() {
    final StatusRequest request = StatusRequest.getDefaultInstance();
    return ProtoCodec.status(read((ch, deadline) -> cluster(ch, deadline).status(request)));
  }

  @Override
  public String transferLeader(String target) {
    final TransferLeaderRequest request = TransferLeaderRequest.newBuilder()
        .setTarget(Objects.requireNonNull(target, "target")).build();
    checkOpen();
    return failover.call(Kind.ADMIN, (ch, deadline) -> cluster(ch, deadline).transferLeader(request))
        .getNewLeader();
  }

  @Override
  public Membership members() {
    final ListMembersRequest request = ListMembersRequest.getDefaultInstance();
    return ProtoCodec.membership(read((ch, deadline) -> cluster(ch, deadline).listMembers(request)));
  }

  @Override
  public Membership addMember(String name) {
    final AddMemberRequest request = AddMemberRequest.newBuilder().setName(Objects.requireNonNull(name, "name"))
        .build();
    checkOpen();
    return ProtoCodec.membership(failover.call(Kind.ADMIN, (ch, deadline) -> cluster(ch, deadline)
        .addMember(request)));
  }

  @Override
  public Membership promoteMember(String name, long timeoutMillis) {
    final PromoteMemberRequest request = PromoteMemberRequest.newBuilder()
        .setName(Objects.requireNonNull(name, "name")).setTimeoutMs(timeoutMillis).build();
    checkOpen();
    return ProtoCodec.membership(failover.call(Kind.ADMIN, (ch, deadline) -> cluster(ch, deadline)
        .promoteMember(request)));
  }

  @Override
  public Membership removeMembers(List<String> names) {
    final RemoveMemberRequest request = RemoveMemberRequest.newBuilder().addAllNames(names).build();
    checkOpen();
    return ProtoCodec.membership(failover.call(Kind.ADMIN, (ch, deadline) -> cluster(ch, deadline)
        .removeMember(request)));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    channels.forEach(ManagedChannel::shutdown);
    final long end = System.nanoTime() + CLOSE_WAIT_NANOS;
    try {
      for (ManagedChannel channel : channels) {
        if (!channel.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          channel.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }

  /** This client's id and the next sequence number: one per write call, shared by all its retries. */
  private IdempotencyKey nextIdempotencyKey() {
    checkOpen();
    return IdempotencyKey.newBuilder().setClientId(clientId).setSequence(sequence.incrementAndGet()).build();
  }

  private <T> T read(Failover.Attempt<T> attempt) {
    checkOpen();
    return failover.call(Kind.READ, attempt);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the Berth client is closed");
    }
  }

  private static KVGrpc.KVBlockingStub kv(Channel channel, long deadlineNanos) {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
  }

  private static ClusterGrpc.ClusterBlockingStub cluster(Channel channel, long deadlineNanos) {
    return ClusterGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
  }
}
