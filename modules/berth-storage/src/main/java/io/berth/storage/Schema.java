package io.berth.storage;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The on-disk schema: every RocksDB column family and meta key the store uses, named once. These names are a
 * storage format: never rename or reuse one; add new ones instead.
 *
 * <ul>
 *   <li>{@link #KV}: user key bytes to a serialized {@code KeyValue} with its {@code key} field cleared (the key is
 *       the RocksDB key; it is re-attached on read). Default bytewise comparator, so keys sort in unsigned byte
 *       order.
 *   <li>{@link #META}: {@link #APPLIED_TERM}, {@link #APPLIED_INDEX}, {@link #REVISION} as 8-byte big-endian longs;
 *       {@link #IDENTITY} as a serialized {@code MemberIdentity}.
 *   <li>{@link #DEDUP}: {@code "r" + clientId (UTF-8) + 0x00 + sequence (8 bytes BE)} to a serialized
 *       {@code CommandResult}, and the expiry index {@code "x" + applied index (8 bytes BE) + record key} to an empty
 *       value (see {@code DedupKeys}).
 *   <li>{@link #HISTORY}: reserved for revision-ordered events (Watch); created, not yet written.
 * </ul>
 */
public final class Schema {

  public static final String KV = "kv";
  public static final String META = "meta";
  public static final String DEDUP = "dedup";
  public static final String HISTORY = "history";

  /** Every column family the store opens, besides RocksDB's mandatory {@code default} (left empty). */
  public static final List<String> COLUMN_FAMILIES = List.of(KV, META, DEDUP, HISTORY);

  public static final String APPLIED_TERM = "applied_term";
  public static final String APPLIED_INDEX = "applied_index";
  public static final String REVISION = "revision";
  public static final String IDENTITY = "identity";

  private Schema() {}

  /** The RocksDB key or column family name for one of the names above. */
  static byte[] bytes(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
