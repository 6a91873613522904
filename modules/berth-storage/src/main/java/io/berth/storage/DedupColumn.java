package io.berth.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import io.berth.proto.internal.v1.CommandResult;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The deduplication records of {@link Schema#DEDUP} (key layout in {@link DedupKeys}). Writes go into the
 * caller's batch; what they write depends only on the database content and the arguments, so every replica
 * writes the same thing. Writes must be serialized by the caller (the store's commit lock).
 */
final class DedupColumn {

  private static final byte[] EMPTY = new byte[0];

  private final RocksDB db;
  private final ColumnFamilyHandle cf;
  /**
   * Every index key below this applied index has been deleted, so expiry scans start here rather than walking
   * the tombstones of earlier expiries. Performance only: starting at 0 finds the same keys.
   */
  private long expiredBelow;

  DedupColumn(RocksDB db, ColumnFamilyHandle cf) {
    this.db = db;
    this.cf = cf;
  }

  /**
   * Adds to {@code batch} the deletion of every record applied below {@code before}, both its keys, as the database
   * holds them now (not records added earlier in the same batch).
   *
   * @param appliedIndex the log index of the entry being committed
   * @return a callback to run once the batch is written
   */
  Runnable expire(WriteBatch batch, long before, long appliedIndex) throws RocksDBException {
    if (before <= expiredBelow) {
      return () -> {};
    }
    byte[] from = DedupKeys.indexBound(expiredBelow);
    try (Slice lower = new Slice(from);
        Slice upper = new Slice(DedupKeys.indexBound(before));
        ReadOptions read = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator it = db.newIterator(cf, read)) {
      for (it.seek(from); it.isValid(); it.next()) {
        byte[] indexKey = it.key();
        batch.delete(cf, indexKey);
        batch.delete(cf, DedupKeys.recordOf(indexKey));
      }
      it.status();
    }
    // Records of this entry (index == appliedIndex) are not expired by it; later ones are above appliedIndex.
    long next = Math.min(before, appliedIndex);
    return () -> expiredBelow = Math.max(expiredBelow, next);
  }

  /**
   * Adds to {@code batch} the record of {@code dedup}, applied at log index {@code index}. The result's
   * {@code applied_index} is set to {@code index} when 0, and must equal it otherwise.
   */
  void record(WriteBatch batch, Mutation.Dedup dedup, long index) throws RocksDBException {
    CommandResult result = dedup.result();
    if (result.getAppliedIndex() == 0) {
      result = result.toBuilder().setAppliedIndex(index).build();
    } else if (result.getAppliedIndex() != index) {
      throw new IllegalArgumentException("dedup result says applied_index " + result.getAppliedIndex()
          + " but the mutation applies log index " + index);
    }
    byte[] recordKey = DedupKeys.record(dedup.clientId(), dedup.sequence());
    byte[] previous = db.get(cf, recordKey);
    if (previous != null) {
      // Recorded again under the same key: drop the old index key so expiry follows the new index.
      batch.delete(cf, DedupKeys.index(parse(previous).getAppliedIndex(), recordKey));
    }
    batch.put(cf, recordKey, result.toByteArray());
    batch.put(cf, DedupKeys.index(index, recordKey), EMPTY);
  }

  Optional<CommandResult> get(String clientId, long sequence) throws RocksDBException {
    byte[] value = db.get(cf, DedupKeys.record(clientId, sequence));
    return value == null ? Optional.empty() : Optional.of(parse(value));
  }

  private static CommandResult parse(byte[] value) {
    try {
      return CommandResult.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("Unreadable dedup record (" + DataDir.oneLine(e.toString()) + "); the database is"
          + " damaged: stop this member and rebuild it from its peers", e);
    }
  }
}
