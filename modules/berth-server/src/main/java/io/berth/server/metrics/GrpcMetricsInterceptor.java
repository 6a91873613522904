package io.berth.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call on the client port and times it, by method ({@code berth.v1.KV/Put}) and outcome (the gRPC
 * status code name, {@code OK} on success), from the call's arrival to its close, or to its cancellation
 * ({@code CANCELLED}) when the client gave up first.
 */
final class GrpcMetricsInterceptor implements ServerInterceptor {
  static final String REQUESTS = "berth_grpc_requests";
  static final String DURATION = "berth_grpc_request_duration_seconds";

  private final Counter requests;
  private final Histogram duration;

  GrpcMetricsInterceptor(PrometheusRegistry registry) {
    requests = Counter.builder().name(REQUESTS)
        .help("Calls handled on the client port, by method and gRPC status code")
        .labelNames("method", "code")
        .register(registry);
    duration = Histogram.builder().name(DURATION)
        .help("Time from a call's arrival to its close, by method and gRPC status code")
        .labelNames("method", "code")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024,
            2.048, 4.096, 8.192)
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    final long start = System.nanoTime();
    final String method = call.getMethodDescriptor().getFullMethodName();
    final AtomicBoolean counted = new AtomicBoolean();
    final ServerCall.Listener<Q> listener = next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        record(status.getCode());
        super.close(status, trailers);
      }

      private void record(Status.Code code) {
        if (counted.compareAndSet(false, true)) {
          requests.labelValues(method, code.name()).inc();
          duration.labelValues(method, code.name()).observe((System.nanoTime() - start) / 1e9);
        }
      }
    }, headers);
    // A call the client cancelled (or whose deadline passed) may never be closed by the handler.
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (counted.compareAndSet(false, true)) {
          requests.labelValues(method, Status.Code.CANCELLED.name()).inc();
          duration.labelValues(method, Status.Code.CANCELLED.name()).observe((System.nanoTime() - start) / 1e9);
        }
        super.onCancel();
      }
    };
  }
}
