package io.berth.server.statemachine;

import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.CompareAndSetOp;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.storage.AppliedState;
import io.berth.storage.Mutation;
import io.berth.storage.ReadView;
import java.util.Arrays;
import java.util.Optional;

/**
 * Turns one committed log entry and the current state into one {@link Mutation}: the data change, the new
 * revision, the deduplication record and the applied (term, index), to be written in a single batch.
 *
 * <p><b>Must be deterministic.</b> Every replica applies the same entries in the same order and must reach the
 * same state, so this class reads nothing but its arguments: no clock, no randomness, no configuration that
 * could differ between members (the dedup window is part of the cluster's fixed protocol).
 *
 * <p>Revision semantics follow etcd: the revision increases by one for each command that changes a key; a
 * delete of a missing key, a failed compare-and-set and a deduplicated retry leave it unchanged.
 */
public final class Applier {

  /** Deduplication records are kept for this many log entries after they were applied. */
  public static final long DEDUP_WINDOW_ENTRIES = 1_000_000;

  /** The mutation to commit and the result to hand back to the caller. */
  public record Outcome(Mutation mutation, CommandResult result) {}

  private final long dedupWindow;

  public Applier() {
    this(DEDUP_WINDOW_ENTRIES);
  }

  Applier(long dedupWindow) {
    this.dedupWindow = dedupWindow;
  }

  /** Applies {@code command}, the entry at ({@code term}, {@code index}), to the state {@code view}. */
  public Outcome apply(Command command, long term, long index, ReadView view) {
    final AppliedState before = view.applied();
    if (command.hasIdempotency()) {
      Optional<CommandResult> earlier =
          view.dedup(command.getIdempotency().getClientId(), command.getIdempotency().getSequence());
      if (earlier.isPresent()) {
        Mutation m = new Mutation(new AppliedState(term, index, before.revision()));
        expireDedup(m, index);
        return new Outcome(m, earlier.get().toBuilder().setDeduplicated(true).build());
      }
    }

    final long next = before.revision() + 1;
    final Change change = switch (command.getOpCase()) {
      case PUT -> put(command.getPut().getKey().toByteArray(), command.getPut().getValue(), next, view);
      case DELETE -> delete(command.getDelete().getKey().toByteArray(), next, view);
      case COMPARE_AND_SET -> compareAndSet(command.getCompareAndSet(), next, view);
      case OP_NOT_SET -> Change.NONE; // rejected before replication; an empty entry changes nothing
    };

    final long revision = change.changed ? next : before.revision();
    final Mutation mutation = new Mutation(new AppliedState(term, index, revision));
    change.put.ifPresent(mutation::put);
    change.delete.ifPresent(mutation::delete);

    final CommandResult.Builder result = CommandResult.newBuilder()
        .setRevision(revision)
        .setSucceeded(change.succeeded)
        .setAppliedIndex(index);
    change.previous.ifPresent(result::setPrevious);
    change.put.ifPresent(result::setCurrent);
    final CommandResult built = result.build();

    if (command.hasIdempotency()) {
      mutation.recordDedup(command.getIdempotency().getClientId(), command.getIdempotency().getSequence(), built);
    }
    expireDedup(mutation, index);
    return new Outcome(mutation, built);
  }

  private void expireDedup(Mutation mutation, long index) {
    if (index > dedupWindow) {
      mutation.expireDedupBefore(index - dedupWindow);
    }
  }

  private static Change put(byte[] key, com.google.protobuf.ByteString value, long revision, ReadView view) {
    final Optional<KeyValue> previous = view.get(key);
    final KeyValue current = KeyValue.newBuilder()
        .setKey(com.google.protobuf.ByteString.copyFrom(key))
        .setValue(value)
        .setCreateRevision(previous.map(KeyValue::getCreateRevision).orElse(revision))
        .setModRevision(revision)
        .setVersion(previous.map(KeyValue::getVersion).orElse(0L) + 1)
        .build();
    return new Change(true, true, previous, Optional.of(current), Optional.empty());
  }

  private static Change delete(byte[] key, long revision, ReadView view) {
    final Optional<KeyValue> previous = view.get(key);
    return previous.isEmpty()
        ? new Change(false, true, previous, Optional.empty(), Optional.empty())
        : new Change(true, true, previous, Optional.empty(), Optional.of(key));
  }

  private static Change compareAndSet(CompareAndSetOp op, long revision, ReadView view) {
    final byte[] key = op.getKey().toByteArray();
    final Optional<KeyValue> current = view.get(key);
    final boolean matches = switch (op.getExpectCase()) {
      case EXPECT_VERSION -> current.map(KeyValue::getVersion).orElse(0L) == op.getExpectVersion();
      case EXPECT_MOD_REVISION -> current.map(KeyValue::getModRevision).orElse(0L) == op.getExpectModRevision();
      case EXPECT_VALUE -> current.isPresent()
          && Arrays.equals(current.get().getValue().toByteArray(), op.getExpectValue().toByteArray());
      case EXPECT_NOT_SET -> true;
    };
    if (!matches) {
      return new Change(false, false, current, Optional.empty(), Optional.empty());
    }
    return switch (op.getThenCase()) {
      case PUT_VALUE -> put(key, op.getPutValue(), revision, view);
      case DELETE -> delete(key, revision, view);
      case THEN_NOT_SET -> new Change(false, true, current, Optional.empty(), Optional.empty());
    };
  }

  /** What one operation does to one key. */
  private record Change(
      boolean changed, boolean succeeded, Optional<KeyValue> previous, Optional<KeyValue> put,
      Optional<byte[]> delete) {
    static final Change NONE = new Change(false, true, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
