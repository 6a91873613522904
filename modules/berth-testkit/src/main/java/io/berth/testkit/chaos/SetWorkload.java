package io.berth.testkit.chaos;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import io.berth.client.KeyValue;
import io.berth.client.ScanResult;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique adds: each call adds an element no other call uses (key {@code set/<element>}); after every fault is
 * healed one linearizable read of the whole prefix ({@code read-all}) must hold every acknowledged element, none
 * that failed or was never added, and none twice.
 */
final class SetWorkload implements Workload {
  static final String PREFIX = "set/";
  private final Recorder recorder;
  private final Clients clients;
  private final long seed;
  private final int workers;
  private final AtomicInteger next = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  SetWorkload(Recorder recorder, Clients clients, long seed, int workers) {
    this.recorder = recorder;
    this.clients = clients;
    this.seed = seed;
    this.workers = workers;
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public void start() {
    running = true;
    for (int i = 0; i < workers; i++) {
      final int worker = i;
      final Thread t = new Thread(() -> work(worker), "chaos-set-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void work(int worker) {
    final Random rng = new Random(seed * 7_000_003L + worker);
    int process = recorder.newProcess();
    try (Clients.Handle handle = clients.handle(worker + 1)) {
      while (running) {
        final int element = next.getAndIncrement();
        final Op inv = recorder.invoke(process, "add", "set", IntNode.valueOf(element));
        Op.Type t;
        try {
          handle.client().put(String.format(PREFIX + "%09d", element), Integer.toString(element));
          t = Op.Type.ok;
        } catch (RuntimeException e) {
          t = Outcome.ofWriteError(e);
        }
        recorder.complete(inv, t, IntNode.valueOf(element));
        if (t == Op.Type.info) {
          process = recorder.newProcess();
        }
        Pause.millis(rng.nextInt(8));
      }
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
      while (true) {
        final Op inv = recorder.invoke(recorder.newProcess(), "read-all", "set", NullNode.getInstance());
        try {
          final ScanResult r = handle.client().scanPrefix(PREFIX, 0);
          final ArrayNode elements = JsonNodeFactory.instance.arrayNode();
          for (KeyValue kv : r.kvs()) {
            elements.add(RegisterWorkload.value(kv.valueUtf8()));
          }
          recorder.complete(inv, Op.Type.ok, elements);
          return;
        } catch (RuntimeException e) {
          recorder.complete(inv, Outcome.ofReadError(e), NullNode.getInstance());
          if (System.nanoTime() > deadlineNanos) {
            return;
          }
          Pause.millis(500);
        }
      }
    }
  }
}
