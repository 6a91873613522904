package io.berth.cli.bench;

import io.berth.client.BerthClient;
import io.berth.client.BerthException;
import io.berth.client.Consistency;

/** Berth through its Java client library (failover and retries included, as an application would see it). */
final class BerthTarget implements BenchTarget {
  private final BerthClient client;

  BerthTarget(BerthClient client) {
    this.client = client;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    client.put(key, value);
  }

  @Override
  public void get(byte[] key) {
    client.get(key, Consistency.LINEARIZABLE);
  }

  /** The gRPC status code the client reports, e.g. {@code UNAVAILABLE}; the class name for anything else. */
  @Override
  public String errorKind(Throwable failure) {
    return failure instanceof BerthException b && b.code() != null ? b.code() : failure.getClass().getSimpleName();
  }

  @Override
  public void close() {
    client.close();
  }
}
