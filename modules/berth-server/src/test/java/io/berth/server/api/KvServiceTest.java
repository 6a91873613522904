package io.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.CompareAndSetRequest;
import io.berth.proto.v1.CompareAndSetResponse;
import io.berth.proto.v1.Consistency;
import io.berth.proto.v1.DeleteRequest;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.GetResponse;
import io.berth.proto.v1.IdempotencyKey;
import io.berth.proto.v1.KVGrpc;
import io.berth.proto.v1.PutRequest;
import io.berth.proto.v1.PutResponse;
import io.berth.proto.v1.ScanRequest;
import io.berth.proto.v1.ScanResponse;
import io.berth.proto.v1.StatusRequest;
import io.berth.proto.v1.StatusResponse;
import io.berth.server.LocalRaftCluster;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The KV and Cluster services on an in-process transport, backed by a real single-member Raft group. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvServiceTest {
  private static final Limits LIMITS = new Limits(4096, 1024);

  private LocalRaftCluster cluster;
  private Server server;
  private ManagedChannel channel;
  private KVGrpc.KVBlockingStub kv;
  private MemberHealth health;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cluster = new LocalRaftCluster(dir, 1, LocalRaftCluster.testSettings()).startAll();
    cluster.awaitLeader(Duration.ofSeconds(30));
    var member = cluster.member(0);
    health = new MemberHealth(member.raft());
    String name = InProcessServerBuilder.generateName();
    StatusExceptions se = new StatusExceptions();
    server = InProcessServerBuilder.forName(name)
        .maxInboundMessageSize(LIMITS.maxMessageBytes())
        .addService(ServerInterceptors.intercept(new KvService(member.raft(), LIMITS, Clock.systemUTC()), se))
        .addService(ServerInterceptors.intercept(new ClusterService(member.raft(), member.member(),
            t -> { throw new AssertionError("a single member never dials a peer"); },
            Executors.newSingleThreadExecutor()), se))
        .addService(health.service())
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    kv = KVGrpc.newBlockingStub(channel);
  }

  @AfterAll
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    health.close();
    cluster.close();
  }

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  @Test
  void putThenLinearizableAndSerializableGetSeeTheValueWithMetadata() {
    PutResponse put = kv.put(PutRequest.newBuilder().setKey(b("svc/a")).setValue(b("1")).build());
    GetResponse lin = kv.get(GetRequest.newBuilder().setKey(b("svc/a")).build());
    GetResponse ser = kv.get(GetRequest.newBuilder().setKey(b("svc/a")).setConsistency(Consistency.SERIALIZABLE).build());

    assertTrue(lin.getFound());
    assertEquals("1", lin.getKv().getValue().toStringUtf8());
    assertEquals(put.getKv().getModRevision(), lin.getKv().getModRevision());
    assertTrue(lin.getHeader().getRevision() >= put.getHeader().getRevision(), "a read sees the acknowledged write");
    assertEquals("berth-0", lin.getHeader().getMember());
    assertTrue(lin.getHeader().getRaftTerm() > 0);
    assertEquals("1", ser.getKv().getValue().toStringUtf8());
  }

  @Test
  void getOfMissingKeyIsNotFound() {
    GetResponse r = kv.get(GetRequest.newBuilder().setKey(b("svc/never")).build());
    assertFalse(r.getFound());
  }

  @Test
  void putReturnsPreviousValueOnlyWhenAsked() {
    kv.put(PutRequest.newBuilder().setKey(b("svc/p")).setValue(b("old")).build());
    PutResponse without = kv.put(PutRequest.newBuilder().setKey(b("svc/p")).setValue(b("mid")).build());
    PutResponse with = kv.put(PutRequest.newBuilder().setKey(b("svc/p")).setValue(b("new")).setPrevKv(true).build());
    assertFalse(without.hasPrevKv());
    assertEquals("mid", with.getPrevKv().getValue().toStringUtf8());
    assertEquals("svc/p", with.getPrevKv().getKey().toStringUtf8());
    assertEquals(2, with.getPrevKv().getVersion());
    assertEquals(3, with.getKv().getVersion());
    assertEquals("svc/p", with.getKv().getKey().toStringUtf8(), "the answer names the key written");
    assertEquals("new", with.getKv().getValue().toStringUtf8(), "and the value written");
  }

  @Test
  void deleteCountsWhatItRemovedAndMissingKeyLeavesRevisionAlone() {
    kv.put(PutRequest.newBuilder().setKey(b("svc/d")).setValue(b("x")).build());
    var first = kv.delete(DeleteRequest.newBuilder().setKey(b("svc/d")).setPrevKv(true).build());
    var second = kv.delete(DeleteRequest.newBuilder().setKey(b("svc/d")).build());
    assertEquals(1, first.getDeleted());
    assertEquals("x", first.getPrevKv().getValue().toStringUtf8());
    assertEquals(0, second.getDeleted());
    assertEquals(first.getHeader().getRevision(), second.getHeader().getRevision());
  }

  @Test
  void scanByPrefixHonoursLimitCountAndKeysOnly() {
    for (String k : new String[] {"scan/a", "scan/b", "scan/c", "scan0"}) {
      kv.put(PutRequest.newBuilder().setKey(b(k)).setValue(b("v-" + k)).build());
    }
    ScanResponse all = kv.scan(ScanRequest.newBuilder().setPrefix(b("scan/")).build());
    ScanResponse two = kv.scan(ScanRequest.newBuilder().setPrefix(b("scan/")).setLimit(2).setKeysOnly(true).build());
    ScanResponse range = kv.scan(ScanRequest.newBuilder().setStart(b("scan/b")).setEnd(b("scan0")).build());

    assertEquals(3, all.getKvsCount(), "scan0 is not under the prefix scan/");
    assertEquals(3, all.getCount());
    assertFalse(all.getMore());
    assertEquals(2, two.getKvsCount());
    assertTrue(two.getMore());
    assertEquals(3, two.getCount());
    assertTrue(two.getKvs(0).getValue().isEmpty());
    assertEquals(2, range.getKvsCount());
    assertEquals("scan/b", range.getKvs(0).getKey().toStringUtf8());
  }

  @Test
  void compareAndSetFromTheSameOldVersionSucceedsOnlyOnce() {
    PutResponse p = kv.put(PutRequest.newBuilder().setKey(b("svc/cas")).setValue(b("v1")).build());
    CompareAndSetRequest cas = CompareAndSetRequest.newBuilder().setKey(b("svc/cas"))
        .setExpectVersion(p.getKv().getVersion()).setPutValue(b("v2")).build();
    CompareAndSetResponse won = kv.compareAndSet(cas);
    CompareAndSetResponse lost = kv.compareAndSet(cas);
    assertTrue(won.getSucceeded());
    assertEquals("v2", won.getKv().getValue().toStringUtf8(), "a CAS that won reports the value it wrote");
    assertEquals("svc/cas", won.getKv().getKey().toStringUtf8());
    assertFalse(lost.getSucceeded());
    assertEquals("svc/cas", lost.getKv().getKey().toStringUtf8());
    assertEquals("v2", lost.getKv().getValue().toStringUtf8(), "a failed CAS reports the value it compared");
  }

  @Test
  void retriedWriteWithSameIdempotencyKeyAppliesOnce() {
    PutRequest req = PutRequest.newBuilder().setKey(b("svc/once")).setValue(b("x"))
        .setIdempotency(IdempotencyKey.newBuilder().setClientId("test-client").setSequence(42)).build();
    PutResponse first = kv.put(req);
    PutResponse retry = kv.put(req);
    assertFalse(first.getDeduplicated());
    assertTrue(retry.getDeduplicated());
    assertEquals(1, kv.get(GetRequest.newBuilder().setKey(b("svc/once")).build()).getKv().getVersion());
  }

  static Stream<Arguments> badRequests() {
    ByteString bigKey = ByteString.copyFrom(new byte[4097]);
    ByteString bigValue = ByteString.copyFrom(new byte[1025]);
    return Stream.of(
        Arguments.of("empty key", PutRequest.newBuilder().setValue(b("v")).build(), "key must not be empty"),
        Arguments.of("key over 4 KiB", PutRequest.newBuilder().setKey(bigKey).setValue(b("v")).build(),
            "key too large: 4097 bytes, the limit is 4096 bytes"),
        Arguments.of("value over limit", PutRequest.newBuilder().setKey(b("k")).setValue(bigValue).build(),
            "value too large: 1025 bytes, the limit is 1024 bytes"),
        Arguments.of("idempotency without client id", PutRequest.newBuilder().setKey(b("k")).setValue(b("v"))
            .setIdempotency(IdempotencyKey.newBuilder().setSequence(1)).build(), "client_id must not be empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badPutsAreRejectedWithTheLimitNamed(String what, PutRequest request, String message) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> kv.put(request));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), what);
    assertTrue(e.getStatus().getDescription().contains(message), e.getStatus().getDescription());
  }

  @Test
  void requestOverTheMessageLimitIsResourceExhaustedOnTheRealClientPort() {
    // The in-process transport does not serialize, so the message limit is checked on the member's Netty port.
    var member = cluster.member(0);
    ManagedChannel netty = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
        .forAddress("127.0.0.1", member.clientPort()).usePlaintext().maxInboundMessageSize(64 << 20).build();
    try {
      PutRequest huge = PutRequest.newBuilder().setKey(b("k"))
          .setValue(ByteString.copyFrom(new byte[Limits.defaults().maxMessageBytes() + 1])).build();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> KVGrpc.newBlockingStub(netty).put(huge));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
    } finally {
      netty.shutdownNow();
    }
  }

  @Test
  void invalidScanAndCasAreRejected() {
    StatusRuntimeException both = assertThrows(StatusRuntimeException.class, () -> kv.scan(
        ScanRequest.newBuilder().setPrefix(b("a")).setStart(b("b")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, both.getStatus().getCode());
    StatusRuntimeException noExpect = assertThrows(StatusRuntimeException.class, () -> kv.compareAndSet(
        CompareAndSetRequest.newBuilder().setKey(b("k")).setPutValue(b("v")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, noExpect.getStatus().getCode());
  }

  @Test
  void statusReportsThisMemberAsHealthyLeader() {
    kv.put(PutRequest.newBuilder().setKey(b("svc/status")).setValue(b("x")).build());
    StatusResponse s = ClusterGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
    assertEquals("berth-0", s.getLeader());
    assertTrue(s.getTerm() > 0);
    assertEquals(1, s.getMembersCount());
    assertEquals("LEADER", s.getMembers(0).getRole());
    assertTrue(s.getMembers(0).getHealthy(), s.toString());
    assertTrue(s.getMembers(0).getAppliedIndex() > 0, "the put above was applied");
    assertTrue(s.getMembers(0).getCommitIndex() >= s.getMembers(0).getAppliedIndex());
  }

  @Test
  void healthServicesReportStartupLivenessAndReadiness() {
    HealthGrpc.HealthBlockingStub h = HealthGrpc.newBlockingStub(channel);
    for (String service : new String[] {MemberHealth.STARTUP, MemberHealth.LIVENESS}) {
      assertEquals(ServingStatus.SERVING,
          h.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
    LocalRaftCluster.await(() -> h.check(HealthCheckRequest.newBuilder().setService(MemberHealth.READINESS).build())
        .getStatus() == ServingStatus.SERVING, Duration.ofSeconds(10), () -> "readiness");
  }
}
