package io.berth.cli.planted;

import io.berth.cli.Main;
import io.berth.proto.v1.Consistency;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.KVGrpc;
import io.berth.server.identity.StatefulSetPeers;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code berth server} with a planted bug: it answers <em>linearizable</em> reads from its local, possibly
 * lagging state, as a member that skipped the ReadIndex round would. The chaos harness must catch it.
 *
 * <p>How: this main class (a test class, used as the pod command's main class by the test that wants the bug)
 * starts the real member on {@value #INNER_PORT} of its pod IP and puts a transparent gRPC proxy on the client
 * port in front of it. The proxy forwards every call unchanged, except that a {@code KV/Get} asking for
 * linearizable consistency is forwarded as serializable. Because the bug lives entirely in test code, it cannot
 * be switched on in a production build by accident: there is no flag, property or hook in production code.
 *
 * <p>Peers still reach each other's real members directly (every member derives the same {@value #INNER_PORT}
 * client port for its peers); only clients and probes go through the proxy.
 */
public final class StaleReadMember {
  /** The real member's client port, on the pod IP. The pod IPs are unique per emulated cluster. */
  static final int INNER_PORT = 17379;

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private StaleReadMember() {}

  public static void main(String[] args) throws IOException {
    final String ip = System.getenv().getOrDefault("BERTH_BIND_ADDRESS", "127.0.0.1");
    final ManagedChannel member = Grpc.newChannelBuilderForAddress(ip, INNER_PORT,
        InsecureChannelCredentials.create()).build();
    // Bind the pod IP only, like the member itself.
    final Server proxy = NettyServerBuilder.forAddress(new InetSocketAddress(ip, StatefulSetPeers.DEFAULT_CLIENT_PORT))
        .fallbackHandlerRegistry(new Forwarder(member)).build();
    proxy.start();
    System.err.println("PLANTED BUG: linearizable reads served from local state (proxy " + ip + ":"
        + StatefulSetPeers.DEFAULT_CLIENT_PORT + " -> member " + ip + ":" + INNER_PORT + ")");
    final List<String> real = new ArrayList<>(Arrays.asList(args));
    real.add("--client-port");
    real.add(Integer.toString(INNER_PORT));
    Main.main(real.toArray(String[]::new));
  }

  /** Forwards any unary call by name, as bytes; rewrites linearizable gets. */
  private static final class Forwarder extends HandlerRegistry {
    private final ManagedChannel member;

    Forwarder(ManagedChannel member) {
      this.member = member;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
      final MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
          .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
      final boolean get = method.equals(KVGrpc.getGetMethod().getFullMethodName());
      return ServerMethodDefinition.create(descriptor, ServerCalls.asyncUnaryCall((request, response) -> {
        final byte[] forwarded = get ? stale(request) : request;
        ClientCalls.asyncUnaryCall(member.newCall(descriptor,
            CallOptions.DEFAULT.withDeadline(Context.current().getDeadline())), forwarded, response);
      }));
    }

    private static byte[] stale(byte[] request) {
      final GetRequest get = ProtoUtils.marshaller(GetRequest.getDefaultInstance())
          .parse(new ByteArrayInputStream(request));
      if (get.getConsistency() == Consistency.SERIALIZABLE) {
        return request;
      }
      return get.toBuilder().setConsistency(Consistency.SERIALIZABLE).build().toByteArray();
    }
  }
}
