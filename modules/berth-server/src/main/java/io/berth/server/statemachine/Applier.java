package io.berth.server.statemachine;

import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.CompareAndSetOp;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.storage.AppliedState;
import io.berth.storage.Mutation;
import io.berth.storage.ReadView;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /**
   * Applies {@code command}, the entry at ({@code term}, {@code index}), to the state {@code view}. A
   * {@link io.berth.proto.internal.v1.CommandBatch} applies its commands in order, each seeing the effects of the
   * ones before it, into one mutation; its result lists each command's result.
   */
  public Outcome apply(Command command, long term, long index, ReadView view) {
    final Pending pending = new Pending(view);
    final CommandResult result;
    if (command.getOpCase() == Command.OpCase.BATCH) {
      final CommandResult.Builder batch = CommandResult.newBuilder().setSucceeded(true).setAppliedIndex(index);
      for (Command c : command.getBatch().getCommandsList()) {
        batch.addBatchResults(applyOne(c, index, pending));
      }
      result = batch.setRevision(pending.revision).build();
    } else {
      result = applyOne(command, index, pending);
    }
    final Mutation mutation = pending.toMutation(term, index);
    expireDedup(mutation, index);
    return new Outcome(mutation, result);
  }

  private static CommandResult applyOne(Command command, long index, Pending state) {
    if (command.hasIdempotency()) {
      final Optional<CommandResult> earlier =
          state.dedup(command.getIdempotency().getClientId(), command.getIdempotency().getSequence());
      if (earlier.isPresent()) {
        return earlier.get().toBuilder().setDeduplicated(true).build();
      }
    }

    final long next = state.revision + 1;
    final Change change = switch (command.getOpCase()) {
      case PUT -> put(command.getPut().getKey().toByteArray(), command.getPut().getValue(), next, state);
      case DELETE -> delete(command.getDelete().getKey().toByteArray(), next, state);
      case COMPARE_AND_SET -> compareAndSet(command.getCompareAndSet(), next, state);
      // OP_NOT_SET: rejected before replication, an empty entry changes nothing. BATCH here would be a batch
      // inside a batch, which no member builds: applied (on every member alike) as an empty entry.
      case OP_NOT_SET, BATCH -> Change.NONE;
    };

    final long revision = change.changed ? next : state.revision;
    state.revision = revision;
    change.put.ifPresent(kv -> state.keys.put(ByteBuffer.wrap(kv.getKey().toByteArray()), Optional.of(kv)));
    change.delete.ifPresent(key -> state.keys.put(ByteBuffer.wrap(key), Optional.empty()));

    final CommandResult.Builder result = CommandResult.newBuilder()
        .setRevision(revision)
        .setSucceeded(change.succeeded)
        .setAppliedIndex(index);
    final boolean previousValue = switch (command.getOpCase()) {
      case PUT -> command.getPut().getPrevKv();
      case DELETE -> command.getDelete().getPrevKv();
      case COMPARE_AND_SET -> !change.succeeded;
      case OP_NOT_SET, BATCH -> false;
    };
    change.previous.ifPresent(kv -> result.setPrevious(previousValue ? withoutKey(kv) : metadataOnly(kv)));
    change.put.ifPresent(kv -> result.setCurrent(metadataOnly(kv)));
    final CommandResult built = result.build();

    if (command.hasIdempotency()) {
      state.dedups.put(new DedupKey(command.getIdempotency().getClientId(), command.getIdempotency().getSequence()),
          built);
    }
    return built;
  }

  /**
   * A result's copy of a key-value: no key, no value (see CommandResult in raft_internal.proto). Every member
   * keeps each reply for Ratis' retry window; the accepting member fills both in from the request.
   */
  private static KeyValue metadataOnly(KeyValue kv) {
    return kv.toBuilder().clearKey().clearValue().build();
  }

  private static KeyValue withoutKey(KeyValue kv) {
    return kv.toBuilder().clearKey().build();
  }

  private void expireDedup(Mutation mutation, long index) {
    if (index > dedupWindow) {
      mutation.expireDedupBefore(index - dedupWindow);
    }
  }

  private static Change put(byte[] key, com.google.protobuf.ByteString value, long revision, Pending view) {
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

  private static Change delete(byte[] key, long revision, Pending view) {
    final Optional<KeyValue> previous = view.get(key);
    return previous.isEmpty()
        ? new Change(false, true, previous, Optional.empty(), Optional.empty())
        : new Change(true, true, previous, Optional.empty(), Optional.of(key));
  }

  private static Change compareAndSet(CompareAndSetOp op, long revision, Pending view) {
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

  /** The state as the commands of one entry so far left it: their key changes, dedup records and revision. */
  private static final class Pending {
    private final ReadView base;
    /** Key -> its value after the commands so far (empty: deleted), in the order first changed. */
    private final Map<ByteBuffer, Optional<KeyValue>> keys = new LinkedHashMap<>();
    private final Map<DedupKey, CommandResult> dedups = new LinkedHashMap<>();
    private long revision;

    Pending(ReadView base) {
      this.base = base;
      this.revision = base.applied().revision();
    }

    Optional<KeyValue> get(byte[] key) {
      final Optional<KeyValue> changed = keys.get(ByteBuffer.wrap(key));
      return changed != null ? changed : base.get(key);
    }

    Optional<CommandResult> dedup(String clientId, long sequence) {
      final CommandResult recorded = dedups.get(new DedupKey(clientId, sequence));
      return recorded != null ? Optional.of(recorded) : base.dedup(clientId, sequence);
    }

    Mutation toMutation(long term, long index) {
      final Mutation m = new Mutation(new AppliedState(term, index, revision));
      keys.forEach((key, kv) -> {
        if (kv.isPresent()) {
          m.put(kv.get());
        } else {
          m.delete(key.array());
        }
      });
      dedups.forEach((k, result) -> m.recordDedup(k.clientId(), k.sequence(), result));
      return m;
    }
  }

  private record DedupKey(String clientId, long sequence) {}

  /** What one operation does to one key. */
  private record Change(
      boolean changed, boolean succeeded, Optional<KeyValue> previous, Optional<KeyValue> put,
      Optional<byte[]> delete) {
    static final Change NONE = new Change(false, true, Optional.empty(), Optional.empty(), Optional.empty());
  }
}
