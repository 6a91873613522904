package io.berth.testkit.chaos;

import io.berth.client.BerthClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes the workloads' clients: a short request timeout and a small retry budget, so a call the cluster cannot
 * answer ends promptly (as {@code info} for a write) instead of riding out the whole fault. Each worker owns one
 * {@link Handle}; it rebuilds its client when the pods' IPs change (a rescheduled pod gets a new one), and lists
 * the endpoints rotated by the worker's index so workers start on different members.
 */
final class Clients {
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1000);
  static final Duration RETRY_BUDGET = Duration.ofMillis(2500);

  private final Supplier<List<String>> endpoints;

  /** @param endpoints the pods' current client addresses */
  Clients(Supplier<List<String>> endpoints) {
    this.endpoints = endpoints;
  }

  Handle handle(int index) {
    return new Handle(index);
  }

  /** One worker's client. Not thread-safe: one worker, one handle. */
  final class Handle implements AutoCloseable {
    private final int index;
    private List<String> current = List.of();
    private BerthClient client;

    private Handle(int index) {
      this.index = index;
    }

    /** The client for the pods' current addresses. */
    BerthClient client() {
      final List<String> now = endpoints.get();
      if (client == null || !now.equals(current)) {
        close();
        final List<String> rotated = new ArrayList<>(now);
        if (!rotated.isEmpty()) {
          java.util.Collections.rotate(rotated, -(index % rotated.size()));
        }
        current = now;
        client = BerthClient.builder().endpoints(rotated).requestTimeout(REQUEST_TIMEOUT)
            .retryBudget(RETRY_BUDGET).backoff(Duration.ofMillis(50), Duration.ofMillis(250)).build();
      }
      return client;
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
        client = null;
      }
    }
  }
}
