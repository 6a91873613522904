package io.berth.server.api;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Lets handlers reject a request by throwing a {@link StatusRuntimeException} (validation stays one line) and
 * turns it into that status; grpc-java would otherwise report any thrown exception as {@code UNKNOWN}.
 */
final class StatusExceptions implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    final ServerCall.Listener<Q> delegate = next.startCall(call, headers);
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (StatusRuntimeException e) {
          call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
        } catch (RuntimeException e) {
          call.close(Status.INTERNAL.withDescription("internal error: " + e).withCause(e), new Metadata());
        }
      }
    };
  }
}
