package io.berth.cli.bench;

import java.time.Duration;

/** Opens {@link BenchTarget}s for etcd. */
public final class EtcdTargets {
  private EtcdTargets() {}

  /** An etcd v3 member at {@code endpoint} (host:port, plaintext), each request with {@code timeout}. */
  public static BenchTarget connect(String endpoint, Duration timeout) {
    return new EtcdTarget(endpoint, timeout);
  }
}
