package io.berth.server.api;

import io.berth.server.identity.MemberConfig;
import io.berth.server.raft.RaftNode;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client port: the KV and Cluster services and the gRPC health service, on one Netty server with a small
 * fixed thread pool (sized for a 2-core pod). Handlers never block on Raft: they complete asynchronously.
 */
public final class ClientApiServer implements AutoCloseable {
  private final Server server;
  private final ClusterService cluster;
  private final ExecutorService executor;

  private ClientApiServer(Server server, ClusterService cluster, ExecutorService executor) {
    this.server = server;
    this.cluster = cluster;
    this.executor = executor;
  }

  public static ClientApiServer start(RaftNode raft, MemberConfig member, MemberHealth health, String bindHost,
      Limits limits, ServerInterceptor metrics) throws IOException {
    final ExecutorService executor = Executors.newFixedThreadPool(4, daemon("berth-api"));
    final ClusterService cluster = new ClusterService(raft, member,
        target -> NettyChannelBuilder.forTarget(target).usePlaintext().build(), executor);
    final StatusExceptions statusExceptions = new StatusExceptions();
    final Server server = NettyServerBuilder.forAddress(new InetSocketAddress(bindHost, member.self().clientPort()))
        .executor(executor)
        .maxInboundMessageSize(limits.maxMessageBytes())
        .addService(ServerInterceptors.intercept(new KvService(raft, limits, Clock.systemUTC()), statusExceptions))
        .addService(ServerInterceptors.intercept(cluster, statusExceptions))
        .addService(health.service())
        .intercept(metrics)
        .build()
        .start();
    return new ClientApiServer(server, cluster, executor);
  }

  public int port() {
    return server.getPort();
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    final AtomicInteger n = new AtomicInteger();
    return r -> {
      final Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops accepting calls, lets calls in flight finish for up to two seconds, then cancels the rest. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    cluster.close();
    executor.shutdownNow();
  }

}
