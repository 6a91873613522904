package io.berth.server.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/**
 * Maps what went wrong inside the member to the gRPC status a client sees.
 *
 * <p>For a write, every "could not confirm" outcome (no leader, leader changed, timeout) is {@code UNAVAILABLE}
 * with a message that says the write may still be applied: Raft may commit an entry after the member that
 * submitted it gave up waiting. Only a rejection before replication is a definite failure.
 */
final class Errors {
  private Errors() {}

  static StatusRuntimeException forWrite(Throwable t) {
    final Throwable cause = unwrap(t);
    if (cause instanceof StatusRuntimeException s) {
      return s;
    }
    if (isUnavailable(cause)) {
      return Status.UNAVAILABLE.withDescription("write not confirmed (" + describe(cause) + "); it may or may not "
          + "have been applied: retry with the same idempotency key").withCause(cause).asRuntimeException();
    }
    return Status.INTERNAL.withDescription("write failed: " + describe(cause)).withCause(cause).asRuntimeException();
  }

  static StatusRuntimeException forRead(Throwable t) {
    final Throwable cause = unwrap(t);
    if (cause instanceof StatusRuntimeException s) {
      return s;
    }
    if (cause instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(cause.getMessage()).asRuntimeException();
    }
    if (isUnavailable(cause)) {
      return Status.UNAVAILABLE.withDescription("linearizable read not possible now (" + describe(cause)
          + "); retry, or read with SERIALIZABLE consistency").withCause(cause).asRuntimeException();
    }
    return Status.INTERNAL.withDescription("read failed: " + describe(cause)).withCause(cause).asRuntimeException();
  }

  private static boolean isUnavailable(Throwable t) {
    return t instanceof NotLeaderException || t instanceof LeaderNotReadyException
        || t instanceof LeaderSteppingDownException || t instanceof RaftRetryFailureException
        || t instanceof TimeoutIOException || t instanceof TimeoutException || t instanceof AlreadyClosedException
        || t instanceof ServerNotReadyException || t instanceof ReadException || t instanceof ReadIndexException
        || t instanceof ResourceUnavailableException || t instanceof GroupMismatchException
        || t instanceof java.io.IOException && !(t instanceof StateMachineException);
  }

  private static String describe(Throwable t) {
    final String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
  }

  private static String firstLine(String s) {
    final int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException
        || c instanceof StateMachineException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
