package io.berth.server;

import com.google.protobuf.ByteString;
import io.berth.proto.internal.v1.Command;
import io.berth.proto.internal.v1.CommandResult;
import io.berth.proto.internal.v1.GetQuery;
import io.berth.proto.internal.v1.KeyValue;
import io.berth.proto.internal.v1.PutOp;
import io.berth.proto.internal.v1.Query;
import io.berth.server.identity.Environment;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.MemberOptions;
import io.berth.server.raft.RaftSettings;
import io.berth.server.statemachine.FatalErrorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A cluster of real Berth members (real Ratis, real RocksDB) in this JVM, on free loopback ports, each with its
 * own data directory under {@code root}. Members can be stopped (as a crash: no leadership handoff), stopped
 * gracefully, and restarted on the same directory.
 */
public final class LocalRaftCluster implements AutoCloseable {
  private final Path root;
  private final List<String> names = new ArrayList<>();
  private final String peers;
  private final String clusterName = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final RaftSettings settings;
  private final BerthServer[] members;
  public final List<String> fatalErrors = new CopyOnWriteArrayList<>();

  public LocalRaftCluster(Path root, int size, RaftSettings settings) {
    this.root = root;
    this.settings = settings;
    this.members = new BerthServer[size];
    final List<String> entries = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      final String name = "berth-" + i;
      names.add(name);
      entries.add(name + "=127.0.0.1:" + freePort() + ":" + freePort());
    }
    this.peers = String.join(",", entries);
  }

  /** Fast timeouts for tests on a loopback network. */
  public static RaftSettings testSettings() {
    return RaftSettings.defaults().withElectionTimeout(Duration.ofMillis(500), Duration.ofMillis(1000));
  }

  public LocalRaftCluster startAll() {
    for (int i = 0; i < members.length; i++) {
      start(i);
    }
    return this;
  }

  public BerthServer start(int i) {
    if (members[i] != null) {
      throw new IllegalStateException(names.get(i) + " is running");
    }
    final MemberConfig config = MemberConfig.resolve(
        MemberOptions.builder().name(names.get(i)).peers(peers).clusterName(clusterName).build(),
        Environment.of(Map.of(), "test-host"));
    final FatalErrorHandler fatal = (what, cause) -> fatalErrors.add(names.get(i) + ": " + what + ": " + cause);
    try {
      members[i] = BerthServer.start(BerthServer.Options.of(config, dataDir(i))
          .withBindHost("127.0.0.1").withRaft(settings).withFatal(fatal).withAdminPort(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return members[i];
  }

  /** Stops member {@code i} without a leadership handoff, as a crash would (from the peers' point of view). */
  public void crash(int i) throws IOException {
    members[i].stop(false);
    members[i] = null;
  }

  /** Stops member {@code i} the way SIGTERM does: a leader hands over first. */
  public void stopGracefully(int i) throws IOException {
    members[i].close();
    members[i] = null;
  }

  public Path dataDir(int i) {
    return root.resolve(names.get(i));
  }

  public BerthServer member(int i) {
    return members[i];
  }

  public String name(int i) {
    return names.get(i);
  }

  public int size() {
    return members.length;
  }

  public boolean isRunning(int i) {
    return members[i] != null;
  }

  /** Waits until the running members agree on one running leader, and returns its index. */
  public int awaitLeader(Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> leader = currentLeader();
      if (leader.isPresent()) {
        return leader.get();
      }
      sleep(50);
    }
    throw new AssertionError("no leader within " + timeout + ": " + describe());
  }

  public Optional<Integer> currentLeader() {
    Set<String> seen = new HashSet<>();
    int leaderIndex = -1;
    for (int i = 0; i < members.length; i++) {
      if (members[i] == null) {
        continue;
      }
      Optional<String> l = members[i].raft().leader();
      seen.add(l.orElse(""));
      if (members[i].raft().isLeader()) {
        leaderIndex = i;
      }
    }
    // Compared by Raft peer id: a later incarnation of a pod (berth-1~2) leads under its own id.
    if (leaderIndex >= 0 && seen.size() == 1 && seen.contains(members[leaderIndex].raft().selfId())
        && members[leaderIndex].raft().division().getInfo().isLeaderReady()) {
      return Optional.of(leaderIndex);
    }
    return Optional.empty();
  }

  public String describe() {
    return java.util.stream.IntStream.range(0, members.length).mapToObj(i -> names.get(i) + "="
            + (members[i] == null ? "down" : members[i].raft().division().getInfo().getCurrentRole()
            + "(leader " + members[i].raft().leader().orElse("?") + ", applied " + members[i].raft().stateMachine().applied() + ")"))
        .collect(Collectors.joining(", "));
  }

  /** Submits a put through member {@code via} and waits for the result. */
  public CommandResult put(int via, String key, String value) throws Exception {
    return members[via].raft().submit(putCommand(key, value)).get(30, TimeUnit.SECONDS);
  }

  public static Command putCommand(String key, String value) {
    return Command.newBuilder()
        .setPut(PutOp.newBuilder().setKey(bytes(key)).setValue(bytes(value)))
        .build();
  }

  /** The key as member {@code i}'s own database holds it (serializable, local). */
  public Optional<KeyValue> localGet(int i, String key) {
    var result = members[i].raft().readLocal(Query.newBuilder().setGet(GetQuery.newBuilder().setKey(bytes(key))).build());
    return result.getKvsCount() == 0 ? Optional.empty() : Optional.of(result.getKvs(0));
  }

  /** Waits until every running member has applied at least {@code index} entries to its database. */
  public void awaitApplied(long index, Duration timeout) {
    await(() -> {
      for (BerthServer m : members) {
        if (m != null && m.raft().stateMachine().applied().index() < index) {
          return false;
        }
      }
      return true;
    }, timeout, () -> "members to apply index " + index + ": " + describe());
  }

  /** True when every running member's key space hashes the same. */
  public boolean replicasIdentical() {
    byte[] first = null;
    for (BerthServer m : members) {
      if (m == null) {
        continue;
      }
      byte[] h = m.raft().stateMachine().contentHash();
      if (first == null) {
        first = h;
      } else if (!Arrays.equals(first, h)) {
        return false;
      }
    }
    return true;
  }

  public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      sleep(25);
    }
  }

  public static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < members.length; i++) {
      if (members[i] != null) {
        try {
          members[i].stop(false);
        } catch (IOException | RuntimeException e) {
          // best effort: the next member must still be stopped
        }
        members[i] = null;
      }
    }
  }
}
