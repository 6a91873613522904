package io.berth.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Configures a {@link BerthClient}. Each setter checks its argument at once and throws
 * {@link IllegalArgumentException} with one clear message per mistake; {@link #build()} freezes the
 * configuration (the builder may be reused). Not thread-safe.
 */
public final class BerthClientBuilder {
  /** Responses (a scan of many large values) may exceed gRPC's default 4 MiB inbound limit. */
  static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private List<Endpoint> endpoints = List.of();
  private Duration requestTimeout = Duration.ofSeconds(5);
  private Duration retryBudget = Duration.ofSeconds(30);
  private Duration backoffBase = Duration.ofMillis(50);
  private Duration backoffMax = Duration.ofSeconds(1);
  private String clientId;
  private Function<String, ManagedChannel> channelFactory;
  private Time time = Time.SYSTEM;
  private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

  BerthClientBuilder() {}

  /**
   * The members' client addresses, each {@code host:port} ({@code [::1]:7379} for IPv6). Required. Any member
   * answers any request, so the list need not be complete, but every member listed is a failover target.
   */
  public BerthClientBuilder endpoints(String... endpoints) {
    return endpoints(List.of(Objects.requireNonNull(endpoints, "endpoints")));
  }

  /** See {@link #endpoints(String...)}. */
  public BerthClientBuilder endpoints(Collection<String> endpoints) {
    Objects.requireNonNull(endpoints, "endpoints");
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints must not be empty: give at least one HOST:PORT "
          + "(for example 127.0.0.1:7379)");
    }
    final Set<Endpoint> parsed = new LinkedHashSet<>();
    for (String text : endpoints) {
      final Endpoint endpoint = Endpoint.parse(text);
      if (!parsed.add(endpoint)) {
        throw new IllegalArgumentException("endpoint '" + endpoint + "' is listed twice");
      }
    }
    this.endpoints = List.copyOf(parsed);
    return this;
  }

  /** How long one attempt against one member may take before the call moves on (default 5 s). */
  public BerthClientBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = positive("requestTimeout", timeout);
    return this;
  }

  /**
   * How long one call may take in total, across all its attempts and backoff, before it fails with
   * {@link ClusterUnavailableException} (default 30 s: long enough to ride out a leader election).
   */
  public BerthClientBuilder retryBudget(Duration budget) {
    this.retryBudget = positive("retryBudget", budget);
    return this;
  }

  /**
   * The backoff between attempts: the wait before retry {@code n} is a random time between half and all of
   * {@code min(max, base * 2^n)} (defaults 50 ms and 1 s).
   */
  public BerthClientBuilder backoff(Duration base, Duration max) {
    positive("backoff base", base);
    positive("backoff max", max);
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff max (" + max.toMillis() + " ms) must be >= base ("
          + base.toMillis() + " ms)");
    }
    this.backoffBase = base;
    this.backoffMax = max;
    return this;
  }

  /**
   * This client's id in idempotency keys (default: a random UUID). Together with a per-call sequence number
   * that starts at 1 it makes each write unique, so it must never be shared by two clients alive at the same
   * time, nor reused by a new client within the server's deduplication window; when in doubt, keep the default.
   */
  public BerthClientBuilder clientId(String id) {
    Objects.requireNonNull(id, "clientId");
    if (id.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    this.clientId = id;
    return this;
  }

  /**
   * Makes the channel to each endpoint (given as {@code host:port}); the client owns and closes the channels.
   * Default: a plaintext gRPC channel over Netty. Tests pass an in-process transport here.
   */
  public BerthClientBuilder channelFactory(Function<String, ManagedChannel> factory) {
    this.channelFactory = Objects.requireNonNull(factory, "channelFactory");
    return this;
  }

  /** Test seam: the clock and sleep of the retry loop. */
  BerthClientBuilder time(Time t) {
    this.time = Objects.requireNonNull(t, "time");
    return this;
  }

  /** Test seam: the source of backoff jitter, uniform in [0, 1). */
  BerthClientBuilder random(DoubleSupplier r) {
    this.random = Objects.requireNonNull(r, "random");
    return this;
  }

  /** A new client; it connects lazily, so an unreachable cluster surfaces at the first call, not here. */
  public BerthClient build() {
    if (endpoints.isEmpty()) {
      throw new IllegalStateException("endpoints are required: call endpoints(\"host:port\", ...) before build()");
    }
    final Function<String, ManagedChannel> factory = channelFactory == null
        ? BerthClientBuilder::plaintextChannel : channelFactory;
    final List<String> names = endpoints.stream().map(Endpoint::toString).toList();
    final List<ManagedChannel> channels = new ArrayList<>();
    try {
      for (String name : names) {
        channels.add(Objects.requireNonNull(factory.apply(name), "channelFactory returned null for " + name));
      }
    } catch (RuntimeException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      throw e;
    }
    final Failover failover = new Failover(names, channels, requestTimeout.toNanos(), retryBudget.toNanos(),
        new Backoff(backoffBase.toNanos(), backoffMax.toNanos(), random), time);
    return new GrpcBerthClient(clientId == null ? UUID.randomUUID().toString() : clientId, channels, failover);
  }

  private static ManagedChannel plaintextChannel(String endpoint) {
    final Endpoint e = Endpoint.parse(endpoint);
    return Grpc.newChannelBuilderForAddress(e.host(), e.port(), InsecureChannelCredentials.create())
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .build();
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d.toMillis() + " ms");
    }
    return d;
  }
}
