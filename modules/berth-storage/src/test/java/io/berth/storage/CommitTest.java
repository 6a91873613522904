package io.berth.storage;

import static io.berth.storage.TestData.bytes;
import static io.berth.storage.TestData.kv;
import static io.berth.storage.TestData.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.proto.internal.v1.MemberIdentity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitTest {

  @TempDir Path tmp;

  @Test
  void newStoreIsEmptyAtAppliedZero() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      assertEquals(AppliedState.EMPTY, store.applied());
      assertTrue(store.get(bytes("a")).isEmpty());
      assertTrue(store.identity().isEmpty());
      assertEquals(tmp.resolve("db").toAbsolutePath(), store.directory());
    }
  }

  @Test
  void dataRevisionAndAppliedPositionAreVisibleTogetherAndSurviveReopen() {
    Path dir = tmp.resolve("db");
    KeyValue a = kv("a", "1", 7).toBuilder().setLease(42).setVersion(3).setCreateRevision(2).build();
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      store.commit(new Mutation(new AppliedState(3, 10, 7)).put(a).put(kv("b", "2", 7)));
      assertEquals(new AppliedState(3, 10, 7), store.applied());
      assertEquals(a, store.get(bytes("a")).orElseThrow());
      store.commit(new Mutation(new AppliedState(3, 11, 8)).delete(bytes("b")));
      assertTrue(store.get(bytes("b")).isEmpty());
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertEquals(new AppliedState(3, 11, 8), store.applied());
      assertEquals(a, store.get(bytes("a")).orElseThrow(), "key, value and every metadata field round-trip");
      assertTrue(store.get(bytes("b")).isEmpty());
    }
  }

  @Test
  void readersNeverSeeHalfACommit() throws Exception {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      Thread writer = new Thread(() -> {
        for (int i = 1; i <= 3000; i++) {
          store.commit(new Mutation(new AppliedState(1, i, i)).put(kv("x", "" + i, i)).put(kv("y", "" + i, i)));
        }
      });
      writer.start();
      while (writer.isAlive()) {
        List<KeyValue> both = store.range(bytes("x"), bytes("z"), 0, false, false).kvs();
        if (!both.isEmpty()) {
          assertEquals(both.get(0).getValue(), both.get(1).getValue());
        }
      }
      writer.join();
      assertEquals(3000, store.applied().index());
    }
  }

  @Test
  void commitWithoutPutsStillAdvancesTheAppliedIndex() {
    Path dir = tmp.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      store.commit(put(1, "a", "1"));
      store.commit(new Mutation(new AppliedState(2, 2, 1)));
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertEquals(new AppliedState(2, 2, 1), store.applied());
    }
  }

  @Test
  void commitAtOrBelowTheAppliedIndexThrowsAndChangesNothing() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      store.commit(put(5, "a", "1"));
      byte[] hash = store.contentHash();

      IllegalStateException same = assertThrows(IllegalStateException.class, () -> store.commit(
          put(5, "a", "2").recordDedup("c", 1, CommandResult.getDefaultInstance())));
      assertTrue(same.getMessage().contains("5"), same.getMessage());
      assertThrows(IllegalStateException.class, () -> store.commit(put(4, "b", "2")));

      assertEquals(new AppliedState(1, 5, 5), store.applied());
      assertEquals("1", store.get(bytes("a")).orElseThrow().getValue().toStringUtf8());
      assertTrue(store.get(bytes("b")).isEmpty());
      assertTrue(store.dedup("c", 1).isEmpty());
      assertArrayEquals(hash, store.contentHash());
    }
  }

  @Test
  void dedupResultForAnotherLogIndexIsRejectedBeforeWriting() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      CommandResult wrongIndex = CommandResult.newBuilder().setAppliedIndex(9).build();
      assertThrows(IllegalArgumentException.class,
          () -> store.commit(put(1, "a", "1").recordDedup("c", 1, wrongIndex)));
      assertEquals(AppliedState.EMPTY, store.applied());
      assertTrue(store.get(bytes("a")).isEmpty());
    }
  }

  @Test
  void identityRoundTripsAndSurvivesReopen() {
    Path dir = tmp.resolve("db");
    MemberIdentity identity = MemberIdentity.newBuilder()
        .setGroupId("g").setPeerId("berth-2").setClusterId("c").setCreatedUnixMillis(123).build();
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      store.writeIdentity(identity);
      assertEquals(identity, store.identity().orElseThrow());
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertEquals(identity, store.identity().orElseThrow());
      assertEquals(AppliedState.EMPTY, store.applied(), "the identity is not part of the applied state");
    }
  }

  @Test
  void flushedCommitsSurviveReopen() {
    Path dir = tmp.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      for (int i = 1; i <= 100; i++) {
        store.commit(put(i, "k" + i, "v" + i));
      }
      store.flush();
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertEquals(100, store.applied().index());
      assertEquals(100, store.range(bytes("k"), bytes("l"), 0, false, true).count());
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailCleanly() {
    RocksKvStore store = RocksKvStore.open(tmp.resolve("db"));
    store.commit(put(1, "a", "1"));
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.get(bytes("a")));
    assertThrows(IllegalStateException.class, () -> store.range(bytes(""), bytes(""), 0, false, false));
    assertThrows(IllegalStateException.class, () -> store.commit(put(2, "a", "2")));
    assertThrows(IllegalStateException.class, store::applied);
    assertThrows(IllegalStateException.class, store::contentHash);
    assertThrows(IllegalStateException.class, () -> store.checkpoint(tmp.resolve("cp")));
    assertFalse(tmp.resolve("cp").toFile().exists());
  }
}
