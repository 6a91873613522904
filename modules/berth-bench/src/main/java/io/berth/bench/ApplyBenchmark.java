package io.berth.bench;

import com.google.protobuf.ByteString;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.IdempotencyKey;
import io.berth.proto.internal.v1.PutOp;
import io.berth.server.statemachine.Applier;
import io.berth.storage.RocksKvStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a member does for each committed put, on one thread as Ratis' state machine updater does: decode nothing
 * (the command is built once), {@link Applier#apply} against the live store, then commit the resulting write
 * batch (data, deduplication record, revision and applied index) to RocksDB with the WAL on and no fsync.
 * Keys are drawn from {@code keys} uniformly, so updates of existing keys dominate once the space is filled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ApplyBenchmark {
  @Param({"256"})
  int valueSize;

  @Param({"100000"})
  int keys;

  private final Applier applier = new Applier();
  private Path dir;
  private RocksKvStore store;
  private Command[] puts;
  private long index;
  private long sequence;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("berth-apply-bench");
    store = RocksKvStore.open(dir.resolve("db"));
    final byte[] value = new byte[valueSize];
    new Random(1).nextBytes(value);
    final Random random = new Random(2);
    puts = new Command[4096];
    for (int i = 0; i < puts.length; i++) {
      final String key = String.format("bench/%08d", random.nextInt(keys));
      puts[i] = Command.newBuilder().setPut(PutOp.newBuilder()
          .setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8)).setValue(ByteString.copyFrom(value))).build();
    }
  }

  /** A put as the client library sends it by default: with an idempotency key, so a dedup record is written. */
  @Benchmark
  public long applyPutExactlyOnce() {
    final Command put = puts[next++ & (puts.length - 1)].toBuilder()
        .setIdempotency(IdempotencyKey.newBuilder().setClientId("bench-client").setSequence(++sequence)).build();
    return apply(put);
  }

  /** A put without an idempotency key. */
  @Benchmark
  public long applyPut() {
    return apply(puts[next++ & (puts.length - 1)]);
  }

  private long apply(Command command) {
    final Applier.Outcome outcome = applier.apply(command, 1, ++index, store);
    store.commit(outcome.mutation());
    return outcome.result().getRevision();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
