package io.berth.server.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.CompareAndSetOp;
import io.berth.proto.internal.v1.DeleteOp;
import io.berth.proto.internal.v1.IdempotencyKey;
import io.berth.proto.internal.v1.PutOp;
import io.berth.storage.RocksKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier against a real RocksDB store: etcd revision semantics, CAS, deduplication. */
class ApplierTest {
  @TempDir
  Path dir;

  private RocksKvStore store;
  private final Applier applier = new Applier(100);
  private long index;

  @BeforeEach
  void open() {
    store = RocksKvStore.open(dir.resolve("db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private CommandResult apply(Command c) {
    Applier.Outcome o = applier.apply(c, 1, ++index, store);
    store.commit(o.mutation());
    return o.result();
  }

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static Command put(String k, String v) {
    return Command.newBuilder().setPut(PutOp.newBuilder().setKey(b(k)).setValue(b(v))).build();
  }

  private static Command del(String k) {
    return Command.newBuilder().setDelete(DeleteOp.newBuilder().setKey(b(k))).build();
  }

  @Test
  void putsCountRevisionsAndVersionsLikeEtcd() {
    CommandResult first = apply(put("a", "1"));
    CommandResult other = apply(put("b", "1"));
    CommandResult second = apply(put("a", "2"));

    assertEquals(1, first.getRevision());
    assertEquals(2, other.getRevision());
    assertEquals(3, second.getRevision());
    assertEquals(1, second.getCurrent().getCreateRevision());
    assertEquals(3, second.getCurrent().getModRevision());
    assertEquals(2, second.getCurrent().getVersion());
    assertEquals(1, second.getPrevious().getVersion());
    assertEquals(3, store.applied().revision());
    assertEquals(3, store.applied().index());
  }

  @Test
  void resultsCarryOnlyTheValuesTheCallerAskedForAndCannotKnow() {
    apply(put("a", "1"));
    CommandResult plain = apply(put("a", "2"));
    assertTrue(plain.getPrevious().getValue().isEmpty(), "no prev_kv asked: no previous value");
    assertTrue(plain.getCurrent().getValue().isEmpty(), "the caller sent the new value");
    assertTrue(plain.getCurrent().getKey().isEmpty(), "the caller sent the key");
    assertEquals(2, plain.getCurrent().getVersion());

    CommandResult asked = apply(Command.newBuilder()
        .setPut(PutOp.newBuilder().setKey(b("a")).setValue(b("3")).setPrevKv(true)).build());
    assertEquals("2", asked.getPrevious().getValue().toStringUtf8());
    CommandResult deleted = apply(Command.newBuilder()
        .setDelete(DeleteOp.newBuilder().setKey(b("a")).setPrevKv(true)).build());
    assertEquals("3", deleted.getPrevious().getValue().toStringUtf8());
  }

  @Test
  void aBatchOfPutsAnswersWithoutTheirValues() {
    // Every member keeps each reply for Ratis' retry window (60 s): with values copied in, a member at 4,000
    // puts/s of 256-byte values held more than its 192 MiB heap in replies and died of OutOfMemoryError.
    final String value = "v".repeat(256);
    final io.berth.proto.internal.v1.CommandBatch.Builder batch = io.berth.proto.internal.v1.CommandBatch.newBuilder();
    for (int i = 0; i < 64; i++) {
      apply(put("key-" + i, value));
      batch.addCommands(put("key-" + i, value));
    }
    CommandResult result = apply(Command.newBuilder().setBatch(batch).build());
    assertEquals(64, result.getBatchResultsCount());
    assertTrue(result.getSerializedSize() < 64 * 32,
        "64 puts answered in " + result.getSerializedSize() + " bytes, under 32 per put");
  }

  @Test
  void deleteOfMissingKeyLeavesRevisionUnchangedButAdvancesAppliedIndex() {
    apply(put("a", "1"));
    CommandResult missing = apply(del("nope"));
    assertEquals(1, missing.getRevision());
    assertFalse(missing.hasPrevious());
    assertEquals(2, store.applied().index());

    CommandResult deleted = apply(del("a"));
    assertEquals(2, deleted.getRevision());
    assertTrue(store.get(b("a").toByteArray()).isEmpty());

    CommandResult recreated = apply(put("a", "again"));
    assertEquals(1, recreated.getCurrent().getVersion(), "a delete resets the version");
    assertEquals(3, recreated.getCurrent().getCreateRevision());
  }

  @Test
  void compareAndSetDecidesAtApplyTime() {
    apply(put("k", "v1"));
    Command casOnVersion1 = Command.newBuilder().setCompareAndSet(CompareAndSetOp.newBuilder()
        .setKey(b("k")).setExpectVersion(1).setPutValue(b("v2"))).build();

    CommandResult won = apply(casOnVersion1);
    CommandResult lost = apply(casOnVersion1); // the same old version again: must fail now

    assertTrue(won.getSucceeded());
    assertEquals(2, won.getCurrent().getVersion());
    assertFalse(lost.getSucceeded());
    assertEquals(won.getRevision(), lost.getRevision(), "a failed CAS changes nothing");
    assertEquals("v2", lost.getPrevious().getValue().toStringUtf8(), "a failed CAS reports the current value");

    Command createIfAbsent = Command.newBuilder().setCompareAndSet(CompareAndSetOp.newBuilder()
        .setKey(b("fresh")).setExpectVersion(0).setPutValue(b("x"))).build();
    assertTrue(apply(createIfAbsent).getSucceeded());
    assertFalse(apply(createIfAbsent).getSucceeded());

    Command deleteIfValue = Command.newBuilder().setCompareAndSet(CompareAndSetOp.newBuilder()
        .setKey(b("k")).setExpectValue(b("v2")).setDelete(true)).build();
    assertTrue(apply(deleteIfValue).getSucceeded());
    assertTrue(store.get(b("k").toByteArray()).isEmpty());
  }

  @Test
  void retriedCommandWithSameIdempotencyKeyAppliesOnce() {
    Command once = put("k", "v").toBuilder()
        .setIdempotency(IdempotencyKey.newBuilder().setClientId("client-1").setSequence(7)).build();
    CommandResult first = apply(once);
    CommandResult retry = apply(once);

    assertFalse(first.getDeduplicated());
    assertTrue(retry.getDeduplicated());
    assertEquals(first.getRevision(), retry.getRevision());
    assertEquals(1, store.get(b("k").toByteArray()).orElseThrow().getVersion());
    assertEquals(1, store.applied().revision());
    assertEquals(2, store.applied().index(), "the retry still advances the applied index");
  }

  @Test
  void deduplicationRecordsExpireByLogIndexNotTime() {
    Command once = put("k", "v").toBuilder()
        .setIdempotency(IdempotencyKey.newBuilder().setClientId("c").setSequence(1)).build();
    apply(once);
    for (int i = 0; i < 120; i++) {
      apply(put("filler", "x" + i)); // window is 100 entries in this test
    }
    CommandResult late = apply(once);
    assertFalse(late.getDeduplicated(), "past the window the key is forgotten and the command applies again");
    assertEquals(2, store.get(b("k").toByteArray()).orElseThrow().getVersion());
  }

  @Test
  void appliedIndexNeverGoesBackwards() {
    apply(put("a", "1"));
    Applier.Outcome stale = applier.apply(put("a", "2"), 1, index, store);
    assertThrows(IllegalStateException.class, () -> store.commit(stale.mutation()));
    assertEquals("1", store.get(b("a").toByteArray()).orElseThrow().getValue().toStringUtf8());
  }
}
