package io.berth.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.proto.internal.v1.MemberIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KvStore} in one RocksDB database with the column families of {@link Schema}.
 *
 * <p>Each {@link #commit} is one {@link WriteBatch} (WAL on, no fsync) holding the data, the deduplication record
 * and expiry, and the applied term/index/revision, so the database is always a consistent prefix of the log. An
 * in-memory copy of the applied state is replaced after each write; commits, checkpoints and identity writes are
 * serialized by one lock, so a checkpoint's applied state is exactly the one it contains. Reads use RocksDB's
 * implicit snapshots (one per iterator) and never block on writes. A read-write lock guards the native handles:
 * {@link #close} waits for calls in flight, and calls after it fail with {@link IllegalStateException} instead of
 * crashing the JVM.
 *
 * <p>{@link #open} never creates a database over anything but an empty (or missing) directory, and finishes or
 * undoes a {@link #restore} interrupted by a crash first (see {@code CheckpointRestore}).
 */
public final class RocksKvStore implements KvStore {

  static {
    RocksDB.loadLibrary();
  }

  private static final Logger LOG = LoggerFactory.getLogger(RocksKvStore.class);
  private static final byte[] APPLIED_TERM = Schema.bytes(Schema.APPLIED_TERM);
  private static final byte[] APPLIED_INDEX = Schema.bytes(Schema.APPLIED_INDEX);
  private static final byte[] REVISION = Schema.bytes(Schema.REVISION);
  private static final byte[] IDENTITY = Schema.bytes(Schema.IDENTITY);

  /** Directories with a store open in this process, so {@link #restore} cannot pull one from under it. */
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final StoreOptions options;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle kv;
  private final ColumnFamilyHandle meta;
  private final DedupColumn dedup;
  private final WriteOptions walNoSync = new WriteOptions().setDisableWAL(false).setSync(false);
  private final WriteOptions walSync = new WriteOptions().setDisableWAL(false).setSync(true);

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Lock writer = new ReentrantLock();
  private volatile boolean closed;
  private volatile AppliedState applied;

  private RocksKvStore(Path dir, StoreOptions options, RocksDB db, List<ColumnFamilyHandle> handles) {
    this.dir = dir;
    this.options = options;
    this.db = db;
    this.handles = List.copyOf(handles);
    this.kv = handles.get(1 + Schema.COLUMN_FAMILIES.indexOf(Schema.KV));
    this.meta = handles.get(1 + Schema.COLUMN_FAMILIES.indexOf(Schema.META));
    this.dedup = new DedupColumn(db, handles.get(1 + Schema.COLUMN_FAMILIES.indexOf(Schema.DEDUP)));
    try {
      this.applied = new AppliedState(
          Bytes.toLong(db.get(meta, APPLIED_TERM), Schema.APPLIED_TERM),
          Bytes.toLong(db.get(meta, APPLIED_INDEX), Schema.APPLIED_INDEX),
          Bytes.toLong(db.get(meta, REVISION), Schema.REVISION));
    } catch (RocksDBException | IllegalArgumentException e) {
      throw new StorageException("Cannot read the applied position in " + dir + " (" + DataDir.oneLine(e.toString())
          + "); the database is damaged: move it aside and rebuild this member from its peers", e);
    }
  }

  /**
   * Opens the store in {@code dir}, creating a new one if the directory is missing or empty.
   *
   * @throws StorageException with a one-line message for an operator when the directory is a file, not writable,
   *     holds something other than a database, holds a corrupt one, or is in use by another store
   */
  public static RocksKvStore open(Path dir) {
    Path path = dir.toAbsolutePath().normalize();
    DataDir.requireDirectoryOrAbsent(path);
    CheckpointRestore.recoverInterrupted(path);
    boolean fresh = DataDir.prepare(path);
    StoreOptions options = new StoreOptions(fresh);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(options.db, path.toString(), options.descriptors, handles);
    } catch (RocksDBException e) {
      options.close();
      throw DataDir.openFailure(path, e);
    }
    RocksKvStore store;
    try {
      store = new RocksKvStore(path, options, db, handles);
    } catch (RuntimeException e) {
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      options.close();
      throw e;
    }
    OPEN.add(path);
    LOG.info("Opened {} store in {} at {}", fresh ? "a new" : "the", path, store.applied);
    return store;
  }

  /**
   * Replaces the database in {@code dbDir} (which no open store may use) with a copy of {@code checkpoint},
   * leaving the checkpoint untouched. Crash-safe: after a crash, the next {@code restore} or {@link #open} of
   * {@code dbDir} sees either the old database or the complete new one, and deletes the leftover
   * {@code dbDir.restoring} / {@code dbDir.old} siblings.
   */
  public static void restore(Path checkpoint, Path dbDir) {
    Path target = dbDir.toAbsolutePath().normalize();
    if (OPEN.contains(target)) {
      throw new IllegalStateException("close the store open in " + target + " before restoring into it");
    }
    CheckpointRestore.restore(checkpoint.toAbsolutePath().normalize(), target);
    LOG.info("Restored {} from checkpoint {}", target, checkpoint);
  }

  @Override
  public void commit(Mutation mutation) {
    Objects.requireNonNull(mutation, "mutation");
    AppliedState next = mutation.applied();
    lifecycle.readLock().lock();
    writer.lock();
    try {
      ensureOpen();
      AppliedState current = applied;
      if (next.index() <= current.index()) {
        throw new IllegalStateException("applied index must increase: the store is at " + current.index()
            + ", the mutation at " + next.index());
      }
      try (WriteBatch batch = new WriteBatch()) {
        Runnable afterWrite = dedup.expire(batch, mutation.expireDedupBefore(), next.index());
        // Deletes before puts: a key both deleted and put by one mutation ends up put.
        for (byte[] key : mutation.deletes()) {
          batch.delete(kv, key);
        }
        for (KeyValue put : mutation.puts()) {
          batch.put(kv, put.getKey().toByteArray(), put.toBuilder().clearKey().build().toByteArray());
        }
        for (Mutation.Dedup d : mutation.dedups()) {
          dedup.record(batch, d, next.index());
        }
        batch.put(meta, APPLIED_TERM, Bytes.ofLong(next.term()));
        batch.put(meta, APPLIED_INDEX, Bytes.ofLong(next.index()));
        batch.put(meta, REVISION, Bytes.ofLong(next.revision()));
        db.write(walNoSync, batch);
        applied = next;
        afterWrite.run();
      }
    } catch (RocksDBException e) {
      throw failure("write log index " + next.index(), e);
    } finally {
      writer.unlock();
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public Optional<KeyValue> get(byte[] key) {
    Objects.requireNonNull(key, "key");
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      byte[] value = db.get(kv, key);
      return value == null ? Optional.empty() : Optional.of(decode(key, value, false));
    } catch (RocksDBException e) {
      throw failure("read a key", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public RangeResult range(byte[] start, byte[] end, long limit, boolean keysOnly, boolean countOnly) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    if (end.length > 0 && Arrays.compareUnsigned(start, end) >= 0) {
      return new RangeResult(List.of(), 0, false);
    }
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      try (Slice upper = end.length > 0 ? new Slice(end) : null;
          ReadOptions read = upper != null ? new ReadOptions().setIterateUpperBound(upper) : new ReadOptions();
          RocksIterator it = db.newIterator(kv, read)) {
        List<KeyValue> kvs = new ArrayList<>();
        long count = 0;
        for (it.seek(start); it.isValid(); it.next()) {
          count++;
          if (!countOnly && (limit == 0 || kvs.size() < limit)) {
            kvs.add(decode(it.key(), it.value(), keysOnly));
          }
        }
        it.status();
        return new RangeResult(List.copyOf(kvs), count, !countOnly && limit > 0 && count > limit);
      }
    } catch (RocksDBException e) {
      throw failure("read a range", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public AppliedState applied() {
    ensureOpen();
    return applied;
  }

  @Override
  public Optional<CommandResult> dedup(String clientId, long sequence) {
    Objects.requireNonNull(clientId, "clientId");
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      return dedup.get(clientId, sequence);
    } catch (RocksDBException e) {
      throw failure("read a dedup record", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void flush() {
    lifecycle.readLock().lock();
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      ensureOpen();
      db.flush(flush, handles);
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw failure("flush", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public AppliedState checkpoint(Path target) {
    Path path = target.toAbsolutePath().normalize();
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("checkpoint target already exists: " + path);
    }
    lifecycle.readLock().lock();
    writer.lock();
    try {
      ensureOpen();
      Files.createDirectories(path.getParent());
      AppliedState state = applied;
      try (Checkpoint checkpoint = Checkpoint.create(db)) {
        checkpoint.createCheckpoint(path.toString());
      }
      CheckpointRestore.fsyncDirectory(path);
      CheckpointRestore.fsyncDirectory(path.getParent());
      return state;
    } catch (RocksDBException | IOException e) {
      throw new StorageException("Cannot write a checkpoint of " + dir + " to " + path + " ("
          + DataDir.oneLine(e.toString()) + "); check free space and permissions on that volume", e);
    } finally {
      writer.unlock();
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public byte[] contentHash() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
          RocksIterator it = db.newIterator(kv, read)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          byte[] value = it.value();
          sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(key.length).array());
          sha.update(key);
          sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(value.length).array());
          sha.update(value);
        }
        it.status();
        sha.update(Bytes.ofLong(Bytes.toLong(db.get(meta, read, REVISION), Schema.REVISION)));
      } finally {
        db.releaseSnapshot(snapshot);
      }
      return sha.digest();
    } catch (RocksDBException e) {
      throw failure("hash the content", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public Optional<MemberIdentity> identity() {
    lifecycle.readLock().lock();
    try {
      ensureOpen();
      byte[] value = db.get(meta, IDENTITY);
      return value == null ? Optional.empty() : Optional.of(parse(value, MemberIdentity.parser(), "identity"));
    } catch (RocksDBException e) {
      throw failure("read the identity", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void writeIdentity(MemberIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    lifecycle.readLock().lock();
    writer.lock();
    try {
      ensureOpen();
      db.put(meta, walSync, IDENTITY, identity.toByteArray());
    } catch (RocksDBException e) {
      throw failure("write the identity", e);
    } finally {
      writer.unlock();
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public OptionalLong longProperty(String family, String property) {
    final int at = Schema.COLUMN_FAMILIES.indexOf(family);
    if (at < 0) {
      throw new IllegalArgumentException("unknown column family '" + family + "'; known: " + Schema.COLUMN_FAMILIES);
    }
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(db.getLongProperty(handles.get(1 + at), property));
    } catch (RocksDBException e) {
      return OptionalLong.empty();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        LOG.warn("Closing the store in {} reported: {}", dir, DataDir.oneLine(String.valueOf(e.getMessage())));
      }
      walNoSync.close();
      walSync.close();
      options.close();
      OPEN.remove(dir);
      LOG.info("Closed the store in {} at {}", dir, applied);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store in " + dir + " is closed");
    }
  }

  private static KeyValue decode(byte[] key, byte[] value, boolean keysOnly) {
    KeyValue.Builder kv = parse(value, KeyValue.parser(), "kv").toBuilder().setKey(ByteString.copyFrom(key));
    return keysOnly ? kv.clearValue().build() : kv.build();
  }

  private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser, String columnFamily) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("Unreadable value in column family '" + columnFamily + "' ("
          + DataDir.oneLine(e.toString()) + "); the database is damaged: stop this member and rebuild it from its"
          + " peers", e);
    }
  }

  private StorageException failure(String action, RocksDBException e) {
    return new StorageException("RocksDB failed to " + action + " in " + dir + " ("
        + DataDir.oneLine(String.valueOf(e.getMessage())) + "); stop this member and check the volume", e);
  }
}
