package io.berth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.IdempotencyKey;
import io.berth.proto.v1.PutRequest;
import io.berth.proto.v1.TransferLeaderRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverTest {
  private final Members members = new Members();
  private final String first = Members.endpoint("first");
  private final String second = Members.endpoint("second");

  @AfterEach
  void stop() {
    members.close();
  }

  @Test
  void failsOverToTheSecondEndpointWhenTheFirstIsNotRunning() throws Exception {
    final FakeMember m2 = members.start(second);
    try (BerthClient client = Members.builder(first, second).build()) {
      client.put("k", "v");
      assertEquals("v", client.get("k").valueUtf8().orElseThrow());
    }
    assertEquals(2, m2.received.size());
  }

  @Test
  void retriedWriteReusesItsIdempotencyKeyAndEachCallTakesTheNextSequence() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.failWith = Status.UNAVAILABLE.withDescription("no leader");
    try (BerthClient client = Members.builder(first, second).clientId("client-a").build()) {
      client.put("k", "v1");
      client.put("k", "v2");
    }
    final List<IdempotencyKey> atFirst = m1.received(PutRequest.class).stream().map(PutRequest::getIdempotency)
        .toList();
    final List<IdempotencyKey> atSecond = m2.received(PutRequest.class).stream().map(PutRequest::getIdempotency)
        .toList();
    assertEquals(List.of(key("client-a", 1)), atFirst, "the first call tried the first member once");
    assertEquals(List.of(key("client-a", 1), key("client-a", 2)), atSecond,
        "the retry reused sequence 1; the second call, sent straight to the member that answered, took 2");
  }

  @Test
  void writeTimingOutOnAPausedMemberIsRetriedElsewhereWithTheSameKey() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.silent = true;
    try (BerthClient client = Members.builder(first, second).requestTimeout(Duration.ofMillis(200)).build()) {
      final PutResult result = client.put("k", "v");
      assertEquals(m2.name, result.member());
    }
    final IdempotencyKey sent = m1.received(PutRequest.class).get(0).getIdempotency();
    assertEquals(sent, m2.received(PutRequest.class).get(0).getIdempotency());
    assertEquals(1, sent.getSequence());
    assertFalse(sent.getClientId().isBlank(), "a default client id is generated");
  }

  @Test
  void readTimingOutOnAPausedMemberIsRetriedElsewhere() throws Exception {
    final FakeMember m1 = members.start(first);
    members.start(second);
    m1.silent = true;
    try (BerthClient client = Members.builder(first, second).requestTimeout(Duration.ofMillis(200)).build()) {
      assertFalse(client.get("missing").found());
    }
    assertEquals(1, m1.received(GetRequest.class).size());
  }

  @Test
  void invalidArgumentIsNotRetriedAndKeepsTheServersMessage() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.failWith = Status.INVALID_ARGUMENT.withDescription("key must not be empty");
    try (BerthClient client = Members.builder(first, second).build()) {
      final InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> client.put("", "v"));
      assertEquals("key must not be empty", e.getMessage());
      assertEquals("INVALID_ARGUMENT", e.code());
      assertFalse(e instanceof RequestTooLargeException);
    }
    assertEquals(1, m1.received.size());
    assertTrue(m2.received.isEmpty(), "a rejected request is never sent to another member");
  }

  @Test
  void sizeLimitRejectionsAreRequestTooLarge() throws Exception {
    final FakeMember m1 = members.start(first);
    try (BerthClient client = Members.builder(first).build()) {
      m1.failWith = Status.INVALID_ARGUMENT.withDescription("value too large: 2000000 bytes, the limit is 1048576");
      final RequestTooLargeException value = assertThrows(RequestTooLargeException.class, () -> client.put("k", "v"));
      assertEquals("value too large: 2000000 bytes, the limit is 1048576", value.getMessage());
      m1.failWith = Status.INVALID_ARGUMENT.withDescription("key too large: 5000 bytes, the limit is 4096");
      assertThrows(RequestTooLargeException.class, () -> client.get("k"));
      m1.failWith = Status.RESOURCE_EXHAUSTED.withDescription("gRPC message exceeds maximum size 4194304");
      final RequestTooLargeException message = assertThrows(RequestTooLargeException.class, () -> client.put("k", "v"));
      assertEquals("RESOURCE_EXHAUSTED", message.code());
    }
    assertEquals(3, m1.received.size(), "none was retried");
  }

  @Test
  void otherRejectionsAreNotRetriedAndNameTheirStatus() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.failWith = Status.FAILED_PRECONDITION.withDescription("no member named berth-9");
    try (BerthClient client = Members.builder(first, second).build()) {
      final BerthException e = assertThrows(BerthException.class, () -> client.transferLeader("berth-9"));
      assertEquals("FAILED_PRECONDITION", e.code());
      assertEquals(first + " answered FAILED_PRECONDITION: no member named berth-9", e.getMessage());
    }
    assertTrue(m2.received.isEmpty());
  }

  @Test
  void spentBudgetNamesEveryEndpointTriedWithItsLastError() throws Exception {
    final FakeMember m1 = members.start(first);
    m1.failWith = Status.UNAVAILABLE.withDescription("no leader");
    final FakeTime time = new FakeTime();
    try (BerthClient client = Members.builder(first, second).retryBudget(Duration.ofSeconds(2)).time(time).build()) {
      final ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class,
          () -> client.put("k", "v"));
      assertTrue(e.getMessage().startsWith("no member answered in "), e.getMessage());
      assertTrue(e.getMessage().contains(first + " (UNAVAILABLE: no leader)"), e.getMessage());
      assertTrue(e.getMessage().contains(second + " (UNAVAILABLE: Could not find server: " + second + ")"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("; the write may or may not have been applied"), e.getMessage());
      assertEquals(List.of(first, second), e.endpointsTried());
      assertTrue(e.outcomeUnknown());
      assertEquals("UNAVAILABLE", e.code());
    }
    assertTrue(time.elapsedNanos() <= Duration.ofSeconds(2).toNanos(), "never sleeps past the budget");
    assertTrue(time.elapsedNanos() >= Duration.ofMillis(1000).toNanos(), "but uses most of it");
    final long retries = m1.received(PutRequest.class).stream().map(PutRequest::getIdempotency).distinct().count();
    assertEquals(1, retries, "every attempt carried the one key of the call");
  }

  @Test
  void backoffGrowsToItsMaximumWithJitterOfAtMostHalf() throws Exception {
    final FakeTime time = new FakeTime();
    try (BerthClient client = Members.builder(first).retryBudget(Duration.ofSeconds(5)).time(time).build()) {
      final ClusterUnavailableException e = assertThrows(ClusterUnavailableException.class, client::status);
      assertFalse(e.outcomeUnknown(), "a read changes nothing");
      assertFalse(e.getMessage().contains("write"), e.getMessage());
    }
    // random() is 0 in these tests: each wait is half its cap; caps 50, 100, 200, 400, 800, then 1000 ms.
    assertEquals(List.of(25L, 50L, 100L, 200L, 400L, 500L, 500L),
        time.sleeps.subList(0, 7).stream().map(n -> n / 1_000_000).toList());
  }

  @Test
  void leadershipTransferIsNotRetriedAfterATimeout() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.silent = true;
    try (BerthClient client = Members.builder(first, second).requestTimeout(Duration.ofMillis(200)).build()) {
      final BerthException e = assertThrows(BerthException.class, () -> client.transferLeader(""));
      assertEquals("DEADLINE_EXCEEDED", e.code());
    }
    assertEquals(1, m1.received(TransferLeaderRequest.class).size());
    assertTrue(m2.received.isEmpty(), "the transfer may be under way: another is not started");
  }

  @Test
  void callsStickToTheMemberThatAnsweredLast() throws Exception {
    final FakeMember m1 = members.start(first);
    final FakeMember m2 = members.start(second);
    m1.failWith = Status.UNAVAILABLE;
    try (BerthClient client = Members.builder(first, second).build()) {
      client.put("k", "v");
      m1.failWith = null;
      for (int i = 0; i < 5; i++) {
        assertEquals(m2.name, client.get("k").member());
      }
    }
    assertEquals(1, m1.received.size());
  }

  private static IdempotencyKey key(String clientId, long sequence) {
    return IdempotencyKey.newBuilder().setClientId(clientId).setSequence(sequence).build();
  }
}
