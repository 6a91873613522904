package io.berth.cli;

import io.berth.client.BerthClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Single-client, one-request-at-a-time latency of put and linearizable get against a running cluster
 * ({@code -Dendpoints=H:P,...}). Prints {@code MEASURE} lines; asserts nothing about time. Not part of the
 * default build; {@code berth bench} is the tool for load. Run with
 * {@code ./mvnw -pl modules/berth-cli -am test -Dtest=ClientLatencyMeasurement -Dendpoints=... -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ClientLatencyMeasurement {

  @Test
  void sequentialPutAndGet() {
    final List<String> endpoints = List.of(System.getProperty("endpoints", "127.0.0.1:7379").split(","));
    final int n = Integer.getInteger("requests", 2000);
    final byte[] value = new byte[256];
    try (BerthClient client = BerthClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(5)).build()) {
      for (int i = 0; i < 200; i++) { // warm-up: JIT, connections
        client.put(("warm-" + i).getBytes(), value);
        client.get(("warm-" + i).getBytes());
      }
      final long[] puts = new long[n];
      final long[] gets = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        client.put(("lat-" + i).getBytes(), value);
        long t1 = System.nanoTime();
        client.get(("lat-" + i).getBytes());
        long t2 = System.nanoTime();
        puts[i] = t1 - t0;
        gets[i] = t2 - t1;
      }
      report("put (256-byte value)", puts);
      report("linearizable get right after a put", gets);
      final long[] onlyGets = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        client.get(("lat-" + i).getBytes());
        onlyGets[i] = System.nanoTime() - t0;
      }
      report("linearizable get, reads only", onlyGets);
      final long[] serializable = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        client.get(("lat-" + i).getBytes(), io.berth.client.Consistency.SERIALIZABLE);
        serializable[i] = System.nanoTime() - t0;
      }
      report("serializable get", serializable);
    }
  }

  private static void report(String what, long[] nanos) {
    Arrays.sort(nanos);
    System.out.printf("MEASURE %s, %d sequential requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
        nanos.length, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
        nanos[nanos.length - 1] / 1e6);
  }
}
