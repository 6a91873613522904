package io.berth.client;

import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Fake members on in-process transports, with endpoint names unique to each test. */
final class Members implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private final List<FakeMember> started = new ArrayList<>();

  /** A unique {@code host:port} endpoint name; nothing serves it until {@link #start} is called with it. */
  static String endpoint(String label) {
    return label + "-" + NEXT.incrementAndGet() + ":7379";
  }

  FakeMember start(String endpoint) throws IOException {
    final FakeMember member = new FakeMember(endpoint);
    started.add(member);
    return member;
  }

  /** A builder whose channels reach the in-process members by endpoint name. */
  static BerthClientBuilder builder(String... endpoints) {
    return BerthClient.builder().endpoints(endpoints)
        .channelFactory(name -> InProcessChannelBuilder.forName(name).directExecutor().build())
        .random(() -> 0.0);
  }

  @Override
  public void close() {
    started.forEach(FakeMember::close);
  }
}
