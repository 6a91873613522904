package io.berth.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.berth.proto.v1.CompareAndSetRequest;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.ScanRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each call sends and how each answer is turned into a result. */
class ResultsTest {
  private final Members members = new Members();
  private FakeMember member;
  private BerthClient client;

  @BeforeEach
  void start() throws Exception {
    final String endpoint = Members.endpoint("m");
    member = members.start(endpoint);
    client = Members.builder(endpoint).build();
  }

  @AfterEach
  void stop() {
    client.close();
    members.close();
  }

  @Test
  void putThenGetCarriesTheMetadata() {
    final PutResult first = client.put("k", "v1");
    assertEquals(new KeyValue(utf8("k"), utf8("v1"), 1, 1, 1), first.kv());
    assertEquals(Optional.empty(), first.prevKv());
    final PutResult second = client.getAndPut("k", "v2");
    assertEquals("v1", second.prevKv().orElseThrow().valueUtf8());
    assertEquals(2, second.revision());
    final GetResult got = client.get("k");
    assertTrue(got.found());
    assertEquals(new KeyValue(utf8("k"), utf8("v2"), 1, 2, 2), got.kv().orElseThrow());
    assertEquals(2, got.revision());
    assertEquals(member.name, got.member());
    assertEquals(7, got.term());
  }

  @Test
  void getOfAMissingKeyIsEmptyNotAnError() {
    final GetResult got = client.get("nope");
    assertFalse(got.found());
    assertEquals(Optional.empty(), got.valueUtf8());
  }

  @Test
  void consistencyIsSent() {
    client.get("k");
    client.get("k", Consistency.SERIALIZABLE);
    assertEquals(List.of(io.berth.proto.v1.Consistency.LINEARIZABLE, io.berth.proto.v1.Consistency.SERIALIZABLE),
        member.received(GetRequest.class).stream().map(GetRequest::getConsistency).toList());
  }

  @Test
  void deleteReportsWhetherTheKeyExisted() {
    client.put("k", "v");
    final DeleteResult deleted = client.getAndDelete("k");
    assertTrue(deleted.deleted());
    assertEquals("v", deleted.prevKv().orElseThrow().valueUtf8());
    assertFalse(client.delete("k").deleted());
  }

  @Test
  void scanSendsPrefixOrRangeAndOptions() {
    client.put("a/1", "x");
    client.put("a/2", "y");
    client.put("b/1", "z");
    final ScanResult prefix = client.scanPrefix("a/", 1);
    assertEquals(List.of("a/1"), prefix.kvs().stream().map(KeyValue::keyUtf8).toList());
    assertEquals(2, prefix.count());
    assertTrue(prefix.more());
    final ScanResult range = client.scanRange(utf8("a/2"), new byte[0],
        ScanOptions.defaults().withKeysOnly().withConsistency(Consistency.SERIALIZABLE));
    assertEquals(List.of("a/2", "b/1"), range.kvs().stream().map(KeyValue::keyUtf8).toList());
    assertEquals("", range.kvs().get(0).valueUtf8());
    client.scanPrefix(utf8("a/"), ScanOptions.defaults().withCountOnly());

    final List<ScanRequest> sent = member.received(ScanRequest.class);
    assertEquals(ScanRequest.newBuilder().setPrefix(bs("a/")).setLimit(1).build(), sent.get(0));
    assertEquals(ScanRequest.newBuilder().setStart(bs("a/2")).setKeysOnly(true)
        .setConsistency(io.berth.proto.v1.Consistency.SERIALIZABLE).build(), sent.get(1));
    assertEquals(ScanRequest.newBuilder().setPrefix(bs("a/")).setCountOnly(true).build(), sent.get(2));
  }

  @Test
  void compareAndSetSendsOneExpectationAndOneAction() {
    client.put("k", "v1");
    final CasResult miss = client.compareAndSet("k", Expect.version(5), "v2");
    assertFalse(miss.succeeded());
    assertEquals(1, miss.kv().orElseThrow().version(), "a failed CAS shows the key as compared");
    final CasResult hit = client.compareAndSet("k", Expect.value("v1"), "v2");
    assertTrue(hit.succeeded());
    assertEquals("v2", hit.kv().orElseThrow().valueUtf8());
    final CasResult created = client.compareAndSet("new", Expect.absent(), "x");
    assertTrue(created.succeeded());
    final CasResult deleted = client.compareAndDelete("k", Expect.modRevision(hit.revision()));
    assertTrue(deleted.succeeded());
    assertEquals(Optional.empty(), deleted.kv());

    final List<CompareAndSetRequest> sent = member.received(CompareAndSetRequest.class);
    assertEquals(CompareAndSetRequest.ExpectCase.EXPECT_VERSION, sent.get(0).getExpectCase());
    assertEquals(bs("v1"), sent.get(1).getExpectValue());
    assertEquals(0, sent.get(2).getExpectVersion());
    assertEquals(CompareAndSetRequest.ExpectCase.EXPECT_VERSION, sent.get(2).getExpectCase());
    assertEquals(CompareAndSetRequest.ThenCase.DELETE, sent.get(3).getThenCase());
    assertEquals(hit.revision(), sent.get(3).getExpectModRevision());
    assertEquals(List.of(2L, 3L, 4L, 5L), sent.stream().map(r -> r.getIdempotency().getSequence()).toList(),
        "the put took sequence 1");
  }

  @Test
  void statusListsEveryMember() {
    final ClusterStatus status = client.status();
    assertEquals(Optional.of("m1"), status.leader());
    assertEquals(7, status.term());
    assertEquals(member.name, status.member());
    final MemberStatus m1 = status.members().get(0);
    assertEquals(new MemberStatus("m1", MemberStatus.Role.LEADER, "m1:7380", "m1:7379", 12, 11, true, 7,
        Optional.of("m1"), 0, 1500), m1);
    final MemberStatus m2 = status.members().get(1);
    assertEquals(MemberStatus.Role.UNKNOWN, m2.role());
    assertFalse(m2.healthy());
    assertEquals(Optional.empty(), m2.leader());
  }

  @Test
  void transferLeaderReturnsTheNewLeader() {
    assertEquals("m3", client.transferLeader("m3"));
    assertEquals("m2", client.transferLeader(""));
  }

  @Test
  void aClosedClientRefusesCalls() {
    client.close();
    client.close();
    final IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.get("k"));
    assertEquals("the Berth client is closed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> client.put("k", "v"));
  }

  @Test
  void keyValuesCompareByContent() {
    final KeyValue a = new KeyValue(utf8("k"), utf8("v"), 1, 2, 3);
    assertEquals(a, new KeyValue(utf8("k"), utf8("v"), 1, 2, 3));
    assertEquals(a.hashCode(), new KeyValue(utf8("k"), utf8("v"), 1, 2, 3).hashCode());
    assertArrayEquals(utf8("v"), a.value());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
