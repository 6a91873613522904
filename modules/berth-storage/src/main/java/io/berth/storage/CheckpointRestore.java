package io.berth.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a database directory with a copy of a checkpoint, so that a crash at any point leaves either the old
 * database or the new one, never a mix.
 *
 * <p>For a database at {@code D}, the copy is built in the sibling {@code D.restoring} (SST files hard-linked, as
 * RocksDB never modifies them; every other file copied; each file and the directory fsynced). Then {@code D} is
 * renamed to {@code D.old}, {@code D.restoring} to {@code D}, and {@code D.old} is deleted, fsyncing the parent
 * after each step. The restore <em>takes effect</em> at the first rename (or, when {@code D} did not exist, at the
 * second). {@link #recoverInterrupted} reads the siblings left by a crash and finishes the job, on the next
 * restore and on every open:
 *
 * <table>
 *   <caption>state after a crash, and what recovery does</caption>
 *   <tr><th>D</th><th>D.restoring</th><th>D.old</th><th>meaning</th><th>action</th></tr>
 *   <tr><td>any</td><td>yes</td><td>no</td><td>copy not taken effect</td><td>delete D.restoring</td></tr>
 *   <tr><td>no</td><td>yes</td><td>yes</td><td>taken effect, not in place</td><td>rename D.restoring to D,
 *       delete D.old</td></tr>
 *   <tr><td>yes</td><td>no</td><td>yes</td><td>done, old not yet deleted</td><td>delete D.old</td></tr>
 *   <tr><td>no</td><td>no</td><td>yes</td><td>(not produced by a crash)</td><td>rename D.old back to D</td></tr>
 *   <tr><td>yes</td><td>yes</td><td>yes</td><td>(not produced by a crash)</td><td>refuse, ask the operator</td></tr>
 * </table>
 */
final class CheckpointRestore {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestore.class);

  private CheckpointRestore() {}

  static Path staging(Path dbDir) {
    return dbDir.resolveSibling(dbDir.getFileName() + ".restoring");
  }

  static Path old(Path dbDir) {
    return dbDir.resolveSibling(dbDir.getFileName() + ".old");
  }

  /** Both paths absolute and normalized; no store may have {@code dbDir} open. */
  static void restore(Path checkpoint, Path dbDir) {
    if (!Files.isRegularFile(checkpoint.resolve("CURRENT"))) {
      throw new IllegalArgumentException(checkpoint + " is not a RocksDB checkpoint (no CURRENT file)");
    }
    if (checkpoint.startsWith(dbDir) || dbDir.startsWith(checkpoint)) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " and database " + dbDir + " overlap");
    }
    recoverInterrupted(dbDir);
    Path staging = staging(dbDir);
    Path old = old(dbDir);
    Path parent = dbDir.getParent();
    boolean tookEffect = false;
    try {
      Files.createDirectories(parent);
      Files.createDirectory(staging);
      copyCheckpoint(checkpoint, staging);
      fsyncDirectory(staging);
      boolean replacing = Files.exists(dbDir, LinkOption.NOFOLLOW_LINKS);
      if (replacing) {
        Files.move(dbDir, old, StandardCopyOption.ATOMIC_MOVE);
        tookEffect = true;
        fsyncDirectory(parent);
      }
      Files.move(staging, dbDir, StandardCopyOption.ATOMIC_MOVE);
      tookEffect = true;
      fsyncDirectory(parent);
      if (replacing) {
        deleteRecursively(old);
        fsyncDirectory(parent);
      }
    } catch (IOException e) {
      if (!tookEffect) {
        deleteQuietly(staging);
      }
      throw new StorageException("Cannot restore checkpoint " + checkpoint + " into " + dbDir + " ("
          + DataDir.oneLine(e.toString()) + "); " + (tookEffect
              ? "the new database is complete and will be moved into place by the next open"
              : "the previous database is unchanged") + "; check free space and permissions on the volume", e);
    }
  }

  private static void copyCheckpoint(Path checkpoint, Path staging) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(checkpoint)) {
      for (Path from : files) {
        String name = from.getFileName().toString();
        if (name.endsWith(".md5")) {
          continue;
        }
        if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException("unexpected entry in checkpoint, not a regular file: " + from);
        }
        Path to = staging.resolve(name);
        if (name.endsWith(".sst")) {
          linkOrCopy(from, to);
        } else {
          Files.copy(from, to);
        }
        fsyncFile(to);
      }
    }
  }

  private static void linkOrCopy(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      // Another volume (EXDEV) or a file system without hard links: copy instead.
      Files.copy(from, to);
    }
  }

  /** Finishes or undoes a restore a crash interrupted; see the class comment. No-op when nothing is left over. */
  static void recoverInterrupted(Path dbDir) {
    Path staging = staging(dbDir);
    Path old = old(dbDir);
    boolean hasDb = Files.exists(dbDir, LinkOption.NOFOLLOW_LINKS);
    boolean hasStaging = Files.exists(staging, LinkOption.NOFOLLOW_LINKS);
    boolean hasOld = Files.exists(old, LinkOption.NOFOLLOW_LINKS);
    if (!hasStaging && !hasOld) {
      return;
    }
    try {
      if (hasOld && hasDb && hasStaging) {
        throw new StorageException("Data dir " + dbDir + ", " + staging + " and " + old + " all exist, which an"
            + " interrupted restore does not leave; keep " + dbDir + ", move the other two aside and restart");
      } else if (hasOld && hasDb) {
        LOG.warn("Deleting {}, left by a restore that completed before a crash", old);
        deleteRecursively(old);
      } else if (hasOld && hasStaging) {
        LOG.warn("Completing a restore interrupted by a crash: moving {} to {}", staging, dbDir);
        Files.move(staging, dbDir, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(dbDir.getParent());
        deleteRecursively(old);
      } else if (hasOld) {
        LOG.warn("Moving {} back to {}: no database and no restore copy exist", old, dbDir);
        Files.move(old, dbDir, StandardCopyOption.ATOMIC_MOVE);
      } else {
        LOG.warn("Deleting {}, left by a restore that was interrupted before it took effect", staging);
        deleteRecursively(staging);
      }
      fsyncDirectory(dbDir.getParent());
    } catch (IOException e) {
      throw new StorageException("Cannot clean up after an interrupted restore of " + dbDir + " ("
          + DataDir.oneLine(e.toString()) + "); check permissions on " + dbDir.getParent(), e);
    }
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void fsyncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteQuietly(Path root) {
    try {
      if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
        deleteRecursively(root);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete {} ({}); the next restore or open deletes it", root, e.toString());
    }
  }
}
