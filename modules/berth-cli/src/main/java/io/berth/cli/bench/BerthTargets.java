package io.berth.cli.bench;

import io.berth.client.BerthClient;

/** Wraps a {@link BerthClient} as a {@link BenchTarget}. */
public final class BerthTargets {
  private BerthTargets() {}

  /** Berth through {@code client}; closing the target closes the client. */
  public static BenchTarget of(BerthClient client) {
    return new BerthTarget(client);
  }
}
