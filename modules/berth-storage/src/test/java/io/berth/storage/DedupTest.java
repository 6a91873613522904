package io.berth.storage;

import static io.berth.storage.TestData.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.CommandResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DedupTest {

  @TempDir Path tmp;

  private static CommandResult result(long revision) {
    return CommandResult.newBuilder().setRevision(revision).setSucceeded(true).build();
  }

  /** Commits entry {@code index} recording (client, sequence). */
  private static void record(KvStore store, long index, String client, long sequence) {
    store.commit(put(index, "k" + index, "v").recordDedup(client, sequence, result(index)));
  }

  @Test
  void recordedResultReadsBackWithItsAppliedIndex() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      record(store, 5, "client-1", 7);
      CommandResult stored = store.dedup("client-1", 7).orElseThrow();
      assertEquals(5, stored.getRevision());
      assertEquals(5, stored.getAppliedIndex(), "filled in from the mutation when the applier left it 0");
      assertTrue(store.dedup("client-1", 8).isEmpty());
      assertTrue(store.dedup("client-2", 7).isEmpty());
      assertTrue(store.dedup("client-", 7).isEmpty(), "a client id that is a prefix of another is distinct");
    }
  }

  @Test
  void expiryRemovesRecordsAppliedBelowTheIndexAndKeepsTheRest() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      record(store, 2, "a", 1);
      record(store, 3, "b", 1);
      record(store, 4, "a", 2);
      store.commit(put(6, "x", "y").expireDedupBefore(4));

      assertTrue(store.dedup("a", 1).isEmpty());
      assertTrue(store.dedup("b", 1).isEmpty());
      assertEquals(4, store.dedup("a", 2).orElseThrow().getAppliedIndex());
    }
  }

  @Test
  void expiryInTheSameEntryKeepsTheRecordItWrites() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      record(store, 1, "a", 1);
      store.commit(put(2, "k", "v").recordDedup("a", 2, result(2)).expireDedupBefore(3));
      assertTrue(store.dedup("a", 1).isEmpty());
      assertTrue(store.dedup("a", 2).isPresent());
    }
  }

  @Test
  void recordingAKeyAgainMovesItsExpiryToTheNewIndex() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      record(store, 2, "a", 1);
      record(store, 5, "a", 1);
      store.commit(put(6, "x", "y").expireDedupBefore(4));
      assertEquals(5, store.dedup("a", 1).orElseThrow().getAppliedIndex());
      store.commit(put(7, "x", "y").expireDedupBefore(6));
      assertTrue(store.dedup("a", 1).isEmpty());
    }
  }

  @Test
  void expiryAfterReopenFindsTheSameRecords() {
    Path dir = tmp.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      for (int i = 1; i <= 6; i++) {
        record(store, i, "c", i);
      }
      store.commit(put(7, "x", "y").expireDedupBefore(3));
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertTrue(store.dedup("c", 2).isEmpty());
      assertTrue(store.dedup("c", 3).isPresent());
      store.commit(put(8, "x", "y").expireDedupBefore(5));
      assertTrue(store.dedup("c", 4).isEmpty());
      assertTrue(store.dedup("c", 5).isPresent());
      assertTrue(store.dedup("c", 6).isPresent());
    }
  }

  @Test
  void replicaThatRestartedMidwayHoldsTheSameDedupRecords() {
    try (RocksKvStore a = RocksKvStore.open(tmp.resolve("a"))) {
      RocksKvStore b = RocksKvStore.open(tmp.resolve("b"));
      for (int i = 1; i <= 30; i++) {
        for (RocksKvStore store : new RocksKvStore[] {a, b}) {
          if (i % 5 == 0) {
            store.commit(put(i, "x", "y").expireDedupBefore(i - 3));
          } else {
            record(store, i, "c" + (i % 3), i);
          }
        }
        if (i == 12) {
          b.close();
          b = RocksKvStore.open(tmp.resolve("b"));
        }
      }
      for (int i = 1; i <= 30; i++) {
        assertEquals(a.dedup("c" + (i % 3), i).isPresent(), b.dedup("c" + (i % 3), i).isPresent(), "seq " + i);
      }
      assertTrue(a.dedup("c0", 21).isEmpty(), "expired by entry 30 (below 27)");
      assertTrue(a.dedup("c1", 28).isPresent());
      b.close();
    }
  }
}
