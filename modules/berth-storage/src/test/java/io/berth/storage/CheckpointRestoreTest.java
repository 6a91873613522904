package io.berth.storage;

import static io.berth.storage.TestData.bytes;
import static io.berth.storage.TestData.put;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRestoreTest {

  @TempDir Path tmp;

  /** A store at applied index 50 with 50 keys, half flushed to SST files, and a dedup record. */
  private static void fill(KvStore store) {
    for (int i = 1; i <= 50; i++) {
      store.commit(put(i, "key-" + i, "value-" + i).recordDedup("c", i, CommandResult.getDefaultInstance()));
      if (i == 25) {
        store.flush();
      }
    }
  }

  /** File name to SHA-256 of its content: detects any change to a directory's files. */
  private static Map<String, String> fingerprint(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : (Iterable<Path>) list::iterator) {
        try {
          byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
          files.put(file.getFileName().toString(), HexFormat.of().formatHex(sha));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  @Test
  void restoredCopyHasTheSameContentAndAppliedStateAsTheCheckpoint() {
    Path checkpoint = tmp.resolve("snapshots/cp-50");
    byte[] hash;
    AppliedState state;
    try (RocksKvStore source = RocksKvStore.open(tmp.resolve("source"))) {
      fill(source);
      hash = source.contentHash();
      state = source.checkpoint(checkpoint);
      assertEquals(new AppliedState(1, 50, 50), state);
      source.commit(put(51, "later", "not in the checkpoint"));
    }

    RocksKvStore.restore(checkpoint, tmp.resolve("copy"));
    try (RocksKvStore copy = RocksKvStore.open(tmp.resolve("copy"))) {
      assertEquals(state, copy.applied());
      assertArrayEquals(hash, copy.contentHash());
      assertTrue(copy.get(bytes("later")).isEmpty());
      assertTrue(copy.dedup("c", 50).isPresent());
      copy.commit(put(51, "after-restore", "writable"));
    }
    assertFalse(Files.exists(tmp.resolve("copy.restoring")));
    assertFalse(Files.exists(tmp.resolve("copy.old")));
  }

  @Test
  void restoreOverAnExistingDatabaseReplacesIt() {
    Path checkpoint = tmp.resolve("cp");
    byte[] hash;
    try (RocksKvStore source = RocksKvStore.open(tmp.resolve("source"))) {
      fill(source);
      hash = source.contentHash();
      source.checkpoint(checkpoint);
    }
    Path member = tmp.resolve("member");
    try (RocksKvStore stale = RocksKvStore.open(member)) {
      for (int i = 1; i <= 80; i++) {
        stale.commit(put(i, "stale-" + i, "x"));
      }
      stale.flush();
    }

    RocksKvStore.restore(checkpoint, member);
    try (RocksKvStore restored = RocksKvStore.open(member)) {
      assertEquals(new AppliedState(1, 50, 50), restored.applied());
      assertArrayEquals(hash, restored.contentHash());
      assertEquals(0, restored.range(bytes("stale-"), bytes("stale."), 0, false, true).count());
    }
    assertFalse(Files.exists(tmp.resolve("member.old")));
  }

  @Test
  void checkpointIsUntouchedByRestoreAndByWritesToTheRestoredCopy() throws IOException {
    Path checkpoint = tmp.resolve("cp");
    try (RocksKvStore source = RocksKvStore.open(tmp.resolve("source"))) {
      fill(source);
      source.checkpoint(checkpoint);
    }
    Files.writeString(checkpoint.resolve("snapshot.md5"), "d41d8cd98f00b204e9800998ecf8427e");
    Map<String, String> before = fingerprint(checkpoint);

    RocksKvStore.restore(checkpoint, tmp.resolve("copy"));
    assertFalse(Files.exists(tmp.resolve("copy/snapshot.md5")), ".md5 files are not part of the database");
    try (RocksKvStore copy = RocksKvStore.open(tmp.resolve("copy"))) {
      for (int i = 51; i <= 120; i++) {
        copy.commit(put(i, "key-" + (i % 30), "overwritten-" + i));
      }
      copy.flush();
    }
    RocksKvStore.restore(checkpoint, tmp.resolve("copy"));

    assertEquals(before, fingerprint(checkpoint));
  }

  @Test
  void checkpointTakenDuringCommitsHoldsExactlyTheAppliedStateItReports() throws Exception {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      Thread writer = new Thread(() -> {
        for (int i = 1; i <= 2000; i++) {
          store.commit(put(i, "counter", Integer.toString(i)));
        }
      });
      writer.start();
      for (int n = 0; n < 5; n++) {
        Path checkpoint = tmp.resolve("cp-" + n);
        AppliedState reported = store.checkpoint(checkpoint);
        Path copy = tmp.resolve("copy-" + n);
        RocksKvStore.restore(checkpoint, copy);
        try (RocksKvStore restored = RocksKvStore.open(copy)) {
          assertEquals(reported, restored.applied());
          long counter = restored.get(bytes("counter")).map(kv -> Long.parseLong(kv.getValue().toStringUtf8()))
              .orElse(0L);
          assertEquals(reported.index(), counter);
        }
      }
      writer.join();
    }
  }

  @Test
  void checkpointTargetThatExistsIsRejected() throws IOException {
    Files.createDirectories(tmp.resolve("cp"));
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      assertThrows(IllegalArgumentException.class, () -> store.checkpoint(tmp.resolve("cp")));
    }
  }

  @Test
  void restoreIntoADirectoryWithAnOpenStoreIsRefused() {
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("db"))) {
      store.commit(put(1, "a", "1"));
      store.checkpoint(tmp.resolve("cp"));
      assertThrows(IllegalStateException.class, () -> RocksKvStore.restore(tmp.resolve("cp"), tmp.resolve("db")));
      assertEquals(1, store.applied().index());
    }
  }

  @Test
  void restoreFromADirectoryThatIsNotACheckpointIsRejected() throws IOException {
    Files.createDirectories(tmp.resolve("not-a-checkpoint"));
    assertThrows(IllegalArgumentException.class,
        () -> RocksKvStore.restore(tmp.resolve("not-a-checkpoint"), tmp.resolve("db")));
    assertFalse(Files.exists(tmp.resolve("db")));
  }

  // --- a crash during restore leaves siblings; the next open finishes or undoes the restore ---

  /** A database at index 1 ("old") in {@code db}, and a checkpoint at index 2 ("new") in {@code cp}. */
  private Path oldDatabaseAndNewCheckpoint() {
    Path db = tmp.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(tmp.resolve("source"))) {
      store.commit(put(1, "k", "old"));
      store.checkpoint(tmp.resolve("old-cp"));
      store.commit(put(2, "k", "new"));
      store.checkpoint(tmp.resolve("cp"));
    }
    RocksKvStore.restore(tmp.resolve("old-cp"), db);
    return db;
  }

  private static String valueOf(KvStore store) {
    return store.get(bytes("k")).orElseThrow().getValue().toStringUtf8();
  }

  @Test
  void crashWhileBuildingTheCopyKeepsTheOldDatabase() throws IOException {
    Path db = oldDatabaseAndNewCheckpoint();
    Path staging = tmp.resolve("db.restoring");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("000012.sst"), "half a file");

    try (RocksKvStore store = RocksKvStore.open(db)) {
      assertEquals("old", valueOf(store));
    }
    assertFalse(Files.exists(staging));
  }

  @Test
  void crashBetweenTheTwoRenamesCompletesTheRestore() throws IOException {
    Path db = oldDatabaseAndNewCheckpoint();
    RocksKvStore.restore(tmp.resolve("cp"), tmp.resolve("db.restoring"));
    Files.move(db, tmp.resolve("db.old"));

    try (RocksKvStore store = RocksKvStore.open(db)) {
      assertEquals("new", valueOf(store));
      assertEquals(2, store.applied().index());
    }
    assertFalse(Files.exists(tmp.resolve("db.restoring")));
    assertFalse(Files.exists(tmp.resolve("db.old")));
  }

  @Test
  void crashBeforeDeletingTheOldDatabaseDeletesItNextTime() throws IOException {
    Path db = oldDatabaseAndNewCheckpoint();
    RocksKvStore.restore(tmp.resolve("old-cp"), tmp.resolve("db.old"));

    RocksKvStore.restore(tmp.resolve("cp"), db);
    assertFalse(Files.exists(tmp.resolve("db.old")));
    try (RocksKvStore store = RocksKvStore.open(db)) {
      assertEquals("new", valueOf(store));
    }
  }
}
