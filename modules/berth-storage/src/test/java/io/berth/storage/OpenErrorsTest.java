package io.berth.storage;

import static io.berth.storage.TestData.bytes;
import static io.berth.storage.TestData.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a bad data dir fails with one line naming the path, the problem and the fix; nothing is recreated. */
class OpenErrorsTest {

  @TempDir Path tmp;

  private static StorageException openFails(Path dir) {
    StorageException e = assertThrows(StorageException.class, () -> RocksKvStore.open(dir).close());
    String message = e.getMessage();
    assertTrue(message.contains(dir.toAbsolutePath().toString()), "names the path: " + message);
    assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
    return e;
  }

  private static void assertMentions(StorageException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return Set.copyOf(list.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** A closed database in {@code db} at applied index 3, with its memtables flushed to an SST file. */
  private Path closedDatabase() {
    Path dir = tmp.resolve("db");
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      for (int i = 1; i <= 3; i++) {
        store.commit(put(i, "k" + i, "v"));
      }
      store.flush();
    }
    return dir;
  }

  @Test
  void emptyDirectoryOrFreshVolumeIsANewStore() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("volume/lost+found")).getParent();
    try (RocksKvStore store = RocksKvStore.open(dir)) {
      assertEquals(AppliedState.EMPTY, store.applied());
    }
  }

  @Test
  void dataDirThatIsARegularFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("data"), "not a directory");
    assertMentions(openFails(file), "is a file, not a directory");
    assertEquals("not a directory", Files.readString(file));
  }

  @Test
  void dataDirUnderARegularFileCannotBeCreated() throws IOException {
    Files.writeString(tmp.resolve("data"), "x");
    assertMentions(openFails(tmp.resolve("data/db")), "Cannot create data dir");
  }

  @Test
  void nonEmptyDirectoryThatIsNotADatabaseIsLeftAlone() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(dir.resolve("notes.txt"), "important");
    assertMentions(openFails(dir), "is not a Berth database (no CURRENT file", "notes.txt", "--data-dir");
    assertEquals(Set.of("notes.txt"), names(dir));
  }

  @Test
  void readOnlyDataDir() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ro"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      boolean canWriteAnyway;
      try {
        Files.delete(Files.createFile(dir.resolve("probe")));
        canWriteAnyway = true;
      } catch (IOException e) {
        canWriteAnyway = false;
      }
      Assumptions.assumeFalse(canWriteAnyway, "running as root: permissions do not stop writes");
      assertMentions(openFails(dir), "is not writable");
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void secondOpenOfTheSameDirectoryIsRefusedAsInUse() {
    Path dir = tmp.resolve("db");
    try (RocksKvStore first = RocksKvStore.open(dir)) {
      first.commit(put(1, "a", "1"));
      StorageException e = openFails(dir);
      assertMentions(e, "is in use by another process", dir.resolve("LOCK").toString(), "stop the other berth server");
      assertEquals(1, first.applied().index(), "the first store is unaffected");
      assertTrue(first.get(bytes("a")).isPresent());
    }
    try (RocksKvStore again = RocksKvStore.open(dir)) {
      assertEquals(1, again.applied().index(), "the lock is released on close");
    }
  }

  @Test
  void garbageInCurrentIsReportedAsCorrupt() throws IOException {
    Path dir = closedDatabase();
    Files.writeString(dir.resolve("CURRENT"), "garbage without newline");
    assertMentions(openFails(dir), "corrupt", "do not delete it");
    assertEquals("garbage without newline", Files.readString(dir.resolve("CURRENT")), "nothing is recreated");
  }

  @Test
  void currentPointingAtAMissingManifestIsReported() throws IOException {
    Path dir = closedDatabase();
    Files.writeString(dir.resolve("CURRENT"), "MANIFEST-999999\n");
    assertMentions(openFails(dir), "MANIFEST-999999", "do not delete it");
  }

  @Test
  void corruptManifestIsReportedAsCorrupt() throws IOException {
    Path dir = closedDatabase();
    Path manifest;
    try (Stream<Path> list = Files.list(dir)) {
      List<Path> manifests = list.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList();
      manifest = manifests.get(0);
    }
    byte[] garbage = new byte[(int) Files.size(manifest)];
    java.util.Arrays.fill(garbage, (byte) 0x5a);
    Files.write(manifest, garbage);
    assertMentions(openFails(dir), "corrupt", "do not delete it");
  }
}
