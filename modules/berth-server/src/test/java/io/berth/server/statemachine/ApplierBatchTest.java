package io.berth.server.statemachine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandBatch;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.CompareAndSetOp;
import io.berth.proto.internal.v1.DeleteOp;
import io.berth.proto.internal.v1.IdempotencyKey;
import io.berth.proto.internal.v1.PutOp;
import io.berth.storage.RocksKvStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch entry must mean exactly what its commands would mean as separate entries: same results (but for the
 * shared log index), same revisions, same final data and dedup records.
 */
class ApplierBatchTest {
  @TempDir
  Path dir;

  private final Applier applier = new Applier(1_000);

  private static ByteString b(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  private static Command put(String k, String v) {
    return Command.newBuilder().setPut(PutOp.newBuilder().setKey(b(k)).setValue(b(v))).build();
  }

  private static Command del(String k) {
    return Command.newBuilder().setDelete(DeleteOp.newBuilder().setKey(b(k))).build();
  }

  private static Command cas(String k, long expectVersion, String value) {
    return Command.newBuilder().setCompareAndSet(CompareAndSetOp.newBuilder().setKey(b(k))
        .setExpectVersion(expectVersion).setPutValue(b(value))).build();
  }

  private static Command batch(List<Command> commands) {
    return Command.newBuilder().setBatch(CommandBatch.newBuilder().addAllCommands(commands)).build();
  }

  private static Command withKey(Command c, String client, long sequence) {
    return c.toBuilder().setIdempotency(IdempotencyKey.newBuilder().setClientId(client).setSequence(sequence))
        .build();
  }

  private CommandResult applyAt(RocksKvStore store, Command c, long index) {
    final Applier.Outcome o = applier.apply(c, 1, index, store);
    store.commit(o.mutation());
    return o.result();
  }

  private static CommandResult withoutIndex(CommandResult r) {
    return r.toBuilder().clearAppliedIndex().build();
  }

  @Test
  void aBatchIsAppliedExactlyLikeItsCommandsOneByOne() {
    final Random random = new Random(7);
    for (int round = 0; round < 20; round++) {
      try (RocksKvStore single = RocksKvStore.open(dir.resolve("single-" + round));
          RocksKvStore batched = RocksKvStore.open(dir.resolve("batched-" + round))) {
        long singleIndex = 0;
        long batchedIndex = 0;
        long sequence = 0;
        for (int entry = 0; entry < 30; entry++) {
          final List<Command> commands = new ArrayList<>();
          final int n = 1 + random.nextInt(12);
          for (int i = 0; i < n; i++) {
            final String key = "k" + random.nextInt(4); // few keys: commands in one batch collide
            Command c = switch (random.nextInt(4)) {
              case 0, 1 -> put(key, "v" + random.nextInt(100));
              case 2 -> del(key);
              default -> cas(key, random.nextInt(3), "c" + random.nextInt(100));
            };
            if (random.nextBoolean()) {
              // Sometimes the same key as an earlier command: a retry landing in the same or a later batch.
              final long seq = sequence > 0 && random.nextInt(4) == 0 ? 1 + random.nextInt((int) sequence)
                  : ++sequence;
              c = withKey(c, "client", seq);
            }
            commands.add(c);
          }
          final List<CommandResult> expected = new ArrayList<>();
          for (Command c : commands) {
            expected.add(withoutIndex(applyAt(single, c, ++singleIndex)));
          }
          final CommandResult got = applyAt(batched, batch(commands), ++batchedIndex);
          assertEquals(n, got.getBatchResultsCount());
          for (int i = 0; i < n; i++) {
            final CommandResult r = got.getBatchResults(i);
            if (!r.getDeduplicated()) {
              assertEquals(batchedIndex, r.getAppliedIndex(), "every command of a batch is applied at its entry");
            }
            assertEquals(expected.get(i), withoutIndex(r), "round " + round + " entry " + entry + " command " + i
                + " " + commands.get(i));
          }
          assertEquals(single.applied().revision(), batched.applied().revision());
          assertEquals(got.getRevision(), batched.applied().revision());
        }
        assertArrayEquals(single.contentHash(), batched.contentHash(), "same data after the same commands");
      }
    }
  }

  @Test
  void aKeyPutThenDeletedInOneBatchIsGoneAndDeletedThenPutIsThere() {
    try (RocksKvStore store = RocksKvStore.open(dir.resolve("db"))) {
      applyAt(store, batch(List.of(put("a", "1"), del("a"), del("b"), put("b", "2"))), 1);
      assertTrue(store.get(b("a").toByteArray()).isEmpty());
      assertEquals("2", store.get(b("b").toByteArray()).orElseThrow().getValue().toStringUtf8());
      assertEquals(3, store.applied().revision(), "put a, delete a, put b; the delete of a missing b changes nothing");
    }
  }

  @Test
  void aRetryInsideTheSameBatchIsAppliedOnceAndARetryInALaterBatchReturnsTheFirstResult() {
    try (RocksKvStore store = RocksKvStore.open(dir.resolve("db"))) {
      final Command once = withKey(put("k", "v"), "c", 1);
      final CommandResult first = applyAt(store, batch(List.of(once, once)), 1);
      assertFalse(first.getBatchResults(0).getDeduplicated());
      assertTrue(first.getBatchResults(1).getDeduplicated());
      assertEquals(1, store.get(b("k").toByteArray()).orElseThrow().getVersion());

      final CommandResult later = applyAt(store, batch(List.of(put("x", "1"), once)), 2);
      assertTrue(later.getBatchResults(1).getDeduplicated());
      assertEquals(first.getBatchResults(0).getRevision(), later.getBatchResults(1).getRevision());
      assertEquals(1, store.get(b("k").toByteArray()).orElseThrow().getVersion());
    }
  }

  @Test
  void aBatchInsideABatchChangesNothingOnAnyMember() {
    try (RocksKvStore store = RocksKvStore.open(dir.resolve("db"))) {
      final CommandResult r = applyAt(store, batch(List.of(put("a", "1"), batch(List.of(put("b", "2"))))), 1);
      assertEquals(2, r.getBatchResultsCount());
      assertTrue(store.get(b("b").toByteArray()).isEmpty());
      assertEquals(1, store.applied().revision());
      assertEquals(1, store.applied().index());
    }
  }
}
