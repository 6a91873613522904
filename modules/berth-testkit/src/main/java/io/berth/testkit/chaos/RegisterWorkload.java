package io.berth.testkit.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.berth.client.BerthClient;
import io.berth.client.CasResult;
import io.berth.client.Expect;
import io.berth.client.GetResult;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-key registers: {@code slots} keys in use at a time, {@code perSlot} client threads on each, every thread one
 * call at a time: linearizable reads, writes and compare-and-sets over the values 0..4. A slot moves on to a fresh
 * key after {@value #OPS_PER_KEY} calls, or after {@value #UNKNOWN_PER_KEY} writes of unknown outcome (each of
 * which stays concurrent with everything after it and so multiplies the checker's search), keeping every key's
 * history checkable.
 *
 * <p>A thread whose call ended {@code info} continues as a new process, as in Jepsen: the old process may still
 * have that call in flight.
 */
final class RegisterWorkload implements Workload {
  static final int OPS_PER_KEY = 300;
  static final int UNKNOWN_PER_KEY = 6;
  private static final int VALUES = 5;

  private final Recorder recorder;
  private final Clients clients;
  private final long seed;
  private final int slots;
  private final int perSlot;
  private final Slot[] state;
  private final Set<String> keysUsed = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  RegisterWorkload(Recorder recorder, Clients clients, long seed, int slots, int perSlot) {
    this.recorder = recorder;
    this.clients = clients;
    this.seed = seed;
    this.slots = slots;
    this.perSlot = perSlot;
    this.state = new Slot[slots];
    for (int i = 0; i < slots; i++) {
      state[i] = new Slot(i);
    }
  }

  /** One key position: its current generation and how much it has seen. */
  private static final class Slot {
    final int index;
    final AtomicInteger generation = new AtomicInteger();
    final AtomicInteger ops = new AtomicInteger();
    final AtomicInteger unknown = new AtomicInteger();

    Slot(int index) {
      this.index = index;
    }

    String key() {
      return "r" + index + "-" + generation.get();
    }

    /** Counts a call on {@code key}; moves the slot on when that key has had enough. */
    synchronized void count(String key, boolean wasUnknownWrite) {
      if (!key.equals(key())) {
        return;
      }
      final int n = ops.incrementAndGet();
      final int u = wasUnknownWrite ? unknown.incrementAndGet() : unknown.get();
      if (n >= OPS_PER_KEY || u >= UNKNOWN_PER_KEY) {
        generation.incrementAndGet();
        ops.set(0);
        unknown.set(0);
      }
    }
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public void start() {
    running = true;
    for (int i = 0; i < slots * perSlot; i++) {
      final int worker = i;
      final Thread t = new Thread(() -> work(worker), "chaos-register-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void work(int worker) {
    final Random rng = new Random(seed * 1_000_003L + worker);
    final Slot slot = state[worker % slots];
    int process = recorder.newProcess();
    try (Clients.Handle handle = clients.handle(worker)) {
      while (running) {
        final String key = slot.key();
        keysUsed.add(key);
        final int dice = rng.nextInt(10);
        final Op.Type outcome;
        final String f;
        if (dice < 4) {
          f = "read";
          outcome = read(handle.client(), process, key);
        } else if (dice < 8) {
          f = "write";
          outcome = write(handle.client(), process, key, rng.nextInt(VALUES));
        } else {
          f = "cas";
          outcome = cas(handle.client(), process, key, rng.nextInt(VALUES), rng.nextInt(VALUES));
        }
        slot.count(key, outcome == Op.Type.info && !f.equals("read"));
        if (outcome == Op.Type.info) {
          process = recorder.newProcess();
        }
        Pause.millis(rng.nextInt(8));
      }
    }
  }

  Op.Type read(BerthClient client, int process, String key) {
    final Op inv = recorder.invoke(process, "read", key, NullNode.getInstance());
    try {
      final GetResult r = client.get(key);
      recorder.complete(inv, Op.Type.ok, r.valueUtf8().map(RegisterWorkload::value).orElse(NullNode.getInstance()));
      return Op.Type.ok;
    } catch (RuntimeException e) {
      recorder.complete(inv, Outcome.ofReadError(e), NullNode.getInstance());
      return Outcome.ofReadError(e);
    }
  }

  private Op.Type write(BerthClient client, int process, String key, int v) {
    final Op inv = recorder.invoke(process, "write", key, IntNode.valueOf(v));
    try {
      client.put(key, Integer.toString(v));
      recorder.complete(inv, Op.Type.ok, IntNode.valueOf(v));
      return Op.Type.ok;
    } catch (RuntimeException e) {
      recorder.complete(inv, Outcome.ofWriteError(e), IntNode.valueOf(v));
      return Outcome.ofWriteError(e);
    }
  }

  private Op.Type cas(BerthClient client, int process, String key, int expected, int next) {
    final JsonNode ev = JsonNodeFactory.instance.arrayNode().add(expected).add(next);
    final Op inv = recorder.invoke(process, "cas", key, ev);
    try {
      final CasResult r = client.compareAndSet(key, Expect.value(Integer.toString(expected)), Integer.toString(next));
      // A mismatch is decided when the command is applied in log order: the CAS definitely did not take effect.
      final Op.Type t = r.succeeded() ? Op.Type.ok : Op.Type.fail;
      recorder.complete(inv, t, ev);
      return t;
    } catch (RuntimeException e) {
      recorder.complete(inv, Outcome.ofWriteError(e), ev);
      return Outcome.ofWriteError(e);
    }
  }

  /** A stored value as the history holds it: the integer written, or the text if it is not one. */
  static JsonNode value(String stored) {
    try {
      return IntNode.valueOf(Integer.parseInt(stored));
    } catch (NumberFormatException e) {
      return TextNode.valueOf(stored);
    }
  }

  @Override
  public void stop(long waitMillis) {
    running = false;
    Pause.join(threads, waitMillis);
  }

  @Override
  public void finalReads(long deadlineNanos) {
    try (Clients.Handle handle = clients.handle(0)) {
      for (String key : keysUsed.stream().sorted().toList()) {
        while (read(handle.client(), recorder.newProcess(), key) != Op.Type.ok && System.nanoTime() < deadlineNanos) {
          Pause.millis(200);
        }
      }
    }
  }

  /** Keys this workload used. */
  int keys() {
    return keysUsed.size();
  }
}
