package io.berth.storage;

/**
 * The position of the store in the replicated log, persisted in the same write batch as the data it describes.
 *
 * @param term     Raft term of the last applied entry (0 before the first)
 * @param index    Raft log index of the last applied entry (0 before the first)
 * @param revision global store revision: increases by one per mutating command (0 for an empty store)
 */
public record AppliedState(long term, long index, long revision) {
  public static final AppliedState EMPTY = new AppliedState(0, 0, 0);
}
