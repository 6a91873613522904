package io.berth.server.statemachine;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as RocksDB checkpoints, one directory per snapshot named {@code <term>_<index>} inside Ratis' state
 * machine directory ({@code <raft-storage>/<group>/sm}).
 *
 * <p>A follower that installs a snapshot from the leader gets the leader's files written to a temporary
 * directory which Ratis then renames over the <em>whole</em> state machine directory. That is why the live
 * database lives elsewhere (see {@link KvStateMachine}) and why the latest snapshot is re-read from disk after
 * every install rather than cached from the last one this member took. Files ending in {@code .md5} are Ratis'
 * digests of installed files and are not part of the snapshot.
 */
public final class CheckpointSnapshotStorage implements StateMachineStorage {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointSnapshotStorage.class);
  private static final Pattern SNAPSHOT_DIR = Pattern.compile("(\\d+)_(\\d+)");

  private volatile File smDir;
  private volatile SnapshotInfo latest;

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    this.smDir = raftStorage.getStorageDir().getStateMachineDir();
    Files.createDirectories(smDir.toPath());
    reload();
  }

  /** Re-reads the snapshot directories from disk; call after a snapshot was installed. */
  public SnapshotInfo reload() {
    this.latest = findLatest().orElse(null);
    return latest;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  /** The directory where the snapshot for {@code ti} is, or is to be, written. */
  public Path snapshotDir(TermIndex ti) {
    return smDir.toPath().resolve(ti.getTerm() + "_" + ti.getIndex());
  }

  /** The directory of the latest snapshot, if there is one. */
  public Optional<Path> latestDir() {
    return Optional.ofNullable(latest).map(s -> snapshotDir(s.getTermIndex()));
  }

  /** Declares the checkpoint in {@link #snapshotDir} for {@code ti} complete; it becomes the latest snapshot. */
  public SnapshotInfo publish(TermIndex ti) throws IOException {
    final SnapshotInfo info = describe(snapshotDir(ti), ti);
    this.latest = info;
    return info;
  }

  @Override
  public void format() {
    // Nothing to format: the directory is created on init.
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    final int keep = Math.max(1, policy.getNumSnapshotsRetained());
    final List<Path> dirs = snapshotDirs();
    for (int i = keep; i < dirs.size(); i++) {
      LOG.info("Removing old snapshot {}", dirs.get(i));
      FileUtils.deleteFully(dirs.get(i));
    }
  }

  @Override
  public File getSnapshotDir() {
    return smDir;
  }

  private Optional<SnapshotInfo> findLatest() {
    for (Path dir : snapshotDirs()) {
      Matcher m = SNAPSHOT_DIR.matcher(dir.getFileName().toString());
      if (m.matches() && Files.exists(dir.resolve("CURRENT"))) {
        try {
          return Optional.of(describe(dir, TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))));
        } catch (IOException e) {
          LOG.warn("Ignoring unreadable snapshot {}: {}", dir, e.toString());
        }
      }
    }
    return Optional.empty();
  }

  /** Snapshot directories, newest (highest index) first. */
  private List<Path> snapshotDirs() {
    if (smDir == null || !smDir.isDirectory()) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(smDir.toPath())) {
      return s.filter(p -> Files.isDirectory(p) && SNAPSHOT_DIR.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(CheckpointSnapshotStorage::indexOf).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list snapshot directory " + smDir, e);
    }
  }

  private static long indexOf(Path dir) {
    Matcher m = SNAPSHOT_DIR.matcher(dir.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }

  private static SnapshotInfo describe(Path dir, TermIndex ti) throws IOException {
    final List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".md5")) {
          files.add(new FileInfo(p.toAbsolutePath(), null));
        }
      }
    }
    return new FileListSnapshotInfo(files, ti);
  }
}
