package io.berth.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

/**
 * The RocksDB tuning of a member's store, sized for a small pod (a core or two, a few hundred MiB of memory):
 * two background jobs, one 64 MiB block cache shared by every column family, a bloom filter on {@link Schema#KV}
 * (point reads), small memtables everywhere else. Owns the native option objects; close it after the database.
 */
final class StoreOptions implements AutoCloseable {

  private static final long MIB = 1024 * 1024;
  static final long BLOCK_CACHE_BYTES = 64 * MIB;

  final DBOptions db;
  /** {@code default} first (RocksDB requires it), then {@link Schema#COLUMN_FAMILIES} in order. */
  final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();

  private final LRUCache blockCache;
  private final BloomFilter bloom;
  private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();

  /** @param createIfMissing true only when the directory holds no database yet (nothing is ever recreated) */
  StoreOptions(boolean createIfMissing) {
    db = new DBOptions()
        .setCreateIfMissing(createIfMissing)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(2)
        .setBytesPerSync(MIB)
        .setMaxTotalWalSize(64 * MIB)
        .setKeepLogFileNum(5)
        .setMaxLogFileSize(8 * MIB);
    blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    bloom = new BloomFilter(10, false);

    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, small()));
    for (String name : Schema.COLUMN_FAMILIES) {
      ColumnFamilyOptions options = name.equals(Schema.KV) ? keyValues() : small();
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options));
    }
  }

  private ColumnFamilyOptions keyValues() {
    return track(new ColumnFamilyOptions()
        .setWriteBufferSize(32 * MIB)
        .setMaxWriteBufferNumber(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(bloom)));
  }

  private ColumnFamilyOptions small() {
    return track(new ColumnFamilyOptions()
        .setWriteBufferSize(4 * MIB)
        .setMaxWriteBufferNumber(2)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache)));
  }

  private ColumnFamilyOptions track(ColumnFamilyOptions options) {
    cfOptions.add(options);
    return options;
  }

  @Override
  public void close() {
    cfOptions.forEach(ColumnFamilyOptions::close);
    db.close();
    bloom.close();
    blockCache.close();
  }
}
