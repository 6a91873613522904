package io.berth.storage;

import static io.berth.storage.TestData.bytes;
import static io.berth.storage.TestData.kv;
import static io.berth.storage.TestData.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {

  @TempDir Path tmp;

  private static void apply(KvStore store) {
    for (int i = 1; i <= 30; i++) {
      store.commit(put(i, "key-" + (i % 7), "value-" + i));
    }
    store.commit(new Mutation(new AppliedState(1, 31, 31)).delete(bytes("key-3")));
  }

  @Test
  void replicasWithTheSameCommitsHashEqualAndAChangeShowsUp() {
    try (RocksKvStore a = RocksKvStore.open(tmp.resolve("a"));
        RocksKvStore b = RocksKvStore.open(tmp.resolve("b"))) {
      apply(a);
      apply(b);
      b.flush(); // SST files and memtables hash the same
      byte[] hash = a.contentHash();
      assertEquals(32, hash.length);
      assertArrayEquals(hash, b.contentHash());

      b.commit(put(32, "key-1", "diverged"));
      assertFalse(Arrays.equals(hash, b.contentHash()));
    }
  }

  @Test
  void hashCoversRevisionAndMetadataNotJustValues() {
    try (RocksKvStore a = RocksKvStore.open(tmp.resolve("a"));
        RocksKvStore b = RocksKvStore.open(tmp.resolve("b"));
        RocksKvStore c = RocksKvStore.open(tmp.resolve("c"))) {
      a.commit(new Mutation(new AppliedState(1, 1, 1)).put(kv("k", "v", 1)));
      b.commit(new Mutation(new AppliedState(1, 1, 2)).put(kv("k", "v", 1)));
      c.commit(new Mutation(new AppliedState(1, 1, 1)).put(kv("k", "v", 1).toBuilder().setVersion(2).build()));
      assertFalse(Arrays.equals(a.contentHash(), b.contentHash()), "revision differs");
      assertFalse(Arrays.equals(a.contentHash(), c.contentHash()), "version differs");
    }
  }

  @Test
  void keyValueBoundariesAreHashedSoSplitsDoNotCollide() {
    try (RocksKvStore a = RocksKvStore.open(tmp.resolve("a"));
        RocksKvStore b = RocksKvStore.open(tmp.resolve("b"))) {
      a.commit(new Mutation(new AppliedState(1, 1, 1)).put(kv("ab", "", 1)));
      b.commit(new Mutation(new AppliedState(1, 1, 1)).put(kv("a", "", 1)).put(kv("b", "", 1)));
      assertFalse(Arrays.equals(a.contentHash(), b.contentHash()));
    }
  }

  @Test
  void hashIsStableAcrossReopen() {
    Path dir = tmp.resolve("a");
    byte[] hash;
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      apply(store);
      hash = store.contentHash();
    }
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertArrayEquals(hash, store.contentHash());
    }
  }
}
