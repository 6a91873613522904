package io.berth.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Checks a data directory before RocksDB opens it, and turns RocksDB's open failures into one-line messages for
 * an operator: the path, what is wrong, what to do. Nothing here deletes or recreates anything.
 */
final class DataDir {

  private static final String CURRENT = "CURRENT";

  private DataDir() {}

  /** Fails unless {@code dir} is a directory or does not exist yet. */
  static void requireDirectoryOrAbsent(Path dir) {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
      throw new StorageException("Data dir " + dir + " is a file, not a directory; point --data-dir at a"
          + " directory (an empty one for a new member)");
    }
  }

  /**
   * Creates {@code dir} if missing and checks it can hold the store.
   *
   * @return true when it holds no database yet (a new member), false when it holds one
   */
  static boolean prepare(Path dir) {
    requireDirectoryOrAbsent(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("Cannot create data dir " + dir + " (" + describe(e) + "); check that"
          + " the volume is mounted and writable by user " + System.getProperty("user.name"), e);
    }
    if (!Files.isWritable(dir)) {
      throw notWritable(dir, null);
    }
    if (Files.exists(dir.resolve(CURRENT))) {
      return false;
    }
    List<String> foreign = foreignEntries(dir);
    if (!foreign.isEmpty()) {
      throw new StorageException("Data dir " + dir + " is not a Berth database (no CURRENT file, but it holds"
          + " other files, e.g. '" + foreign.get(0) + "'); point --data-dir at an empty directory or the member's"
          + " volume");
    }
    return true;
  }

  /**
   * Entries that rule out a new database. Tolerated: {@code lost+found} (the root of a fresh ext4 volume) and the
   * files RocksDB writes before {@code CURRENT} when its first start is interrupted (LOCK, LOG*, IDENTITY).
   */
  private static List<String> foreignEntries(Path dir) {
    List<String> foreign = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        boolean tolerated = name.equals("lost+found") || name.equals("LOCK") || name.equals("IDENTITY")
            || name.equals("LOG") || name.startsWith("LOG.old.");
        if (!tolerated) {
          foreign.add(name);
        }
      }
    } catch (IOException e) {
      throw new StorageException("Cannot list data dir " + dir + " (" + describe(e) + "); check the"
          + " volume and its permissions", e);
    }
    foreign.sort(null);
    return foreign;
  }

  /** The operator's view of a failed {@code RocksDB.open} on {@code dir}. */
  static StorageException openFailure(Path dir, RocksDBException e) {
    String detail = oneLine(String.valueOf(e.getMessage()));
    String lower = detail.toLowerCase(Locale.ROOT);
    Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
    if (code == Status.Code.IOError && lower.contains("lock")) {
      return new StorageException("Data dir " + dir + " is in use by another process (pid lock held on "
          + dir.resolve("LOCK") + "); stop the other berth server using this data dir", e);
    }
    if (lower.contains("permission denied") || lower.contains("read-only file system")) {
      return notWritable(dir, e);
    }
    String advice = "do not delete it: move it aside and rebuild this member from its peers (or restore it from"
        + " a snapshot)";
    if (code == Status.Code.Corruption) {
      return new StorageException("Data dir " + dir + " holds a corrupt database (RocksDB: " + detail + "); "
          + advice, e);
    }
    if (code == Status.Code.IOError && lower.contains("no such file")) {
      return new StorageException("Data dir " + dir + " holds an incomplete database, a file it lists is missing"
          + " (RocksDB: " + detail + "); " + advice, e);
    }
    if (code == Status.Code.InvalidArgument && lower.contains("column famil")) {
      return new StorageException("Data dir " + dir + " holds column families this version does not know"
          + " (RocksDB: " + detail + "); it was written by a newer Berth: run that version", e);
    }
    return new StorageException("Cannot open the database in " + dir + " (RocksDB: " + detail + "); check the"
        + " volume (space, permissions, mount) and the RocksDB LOG file there", e);
  }

  private static StorageException notWritable(Path dir, Throwable cause) {
    return new StorageException("Data dir " + dir + " is not writable by user " + System.getProperty("user.name")
        + "; fix the volume's ownership or permissions (e.g. the pod's fsGroup) or mount it read-write", cause);
  }

  /** An I/O failure in a few words, without repeating the path the message already names. */
  static String describe(IOException e) {
    String what = e instanceof FileSystemException fse && fse.getReason() != null
        ? fse.getReason()
        : String.valueOf(e.getMessage());
    return oneLine(e.getClass().getSimpleName() + ": " + what);
  }

  /** Messages are single lines, so a log or a terminal shows them whole. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
