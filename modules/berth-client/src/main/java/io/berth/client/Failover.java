package io.berth.client;

import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one call against the cluster, failing over between members until it succeeds, is rejected, or spends
 * its retry budget.
 *
 * <p>Design. Every member answers every request, so the client does not look for the leader: it sticks to the
 * member that answered last (the {@code preferred} index) and, when that member fails in a way another might
 * not, moves to the next endpoint in the list, round-robin. "Another might not" means {@code UNAVAILABLE}
 * (unreachable, or no leader reachable from it) and, except for {@link Kind#ADMIN} calls,
 * {@code DEADLINE_EXCEEDED} (a paused or partitioned member). Every other status is the cluster's answer and is
 * thrown at once: retrying a rejected request elsewhere would only be rejected again.
 *
 * <p>Each attempt gets the per-request deadline, cut to what is left of the call's budget; before each retry the
 * loop sleeps an exponentially growing, jittered {@link Backoff} delay, and it stops when the next attempt would
 * start after the budget. Retrying writes is safe only because the caller builds the request, with its
 * idempotency key, once, outside the loop: every attempt sends the identical key.
 *
 * <p>gRPC channels back off their own reconnects (up to two minutes) after a connection fails, failing calls
 * fast meanwhile. A member that comes back must be usable at once, so before trying a channel that is in
 * {@code TRANSIENT_FAILURE} the loop resets that backoff: its own backoff is what paces reconnects.
 */
final class Failover {
  /** Which failures a call may retry on another attempt. */
  enum Kind {
    READ, WRITE, ADMIN;

    boolean retries(Status.Code code) {
      return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED && this != ADMIN;
    }
  }

  /** One attempt through one member's channel, with a deadline in nanoseconds from now. */
  interface Attempt<T> {
    T run(Channel channel, long deadlineNanos);
  }

  /** No retry is started with less than this left of the budget. */
  static final long MIN_ATTEMPT_NANOS = 10_000_000;

  private final List<String> endpoints;
  private final List<ManagedChannel> channels;
  private final long requestTimeoutNanos;
  private final long budgetNanos;
  private final Backoff backoff;
  private final Time time;
  private final AtomicInteger preferred = new AtomicInteger();

  Failover(List<String> endpoints, List<ManagedChannel> channels, long requestTimeoutNanos, long budgetNanos,
      Backoff backoff, Time time) {
    this.endpoints = List.copyOf(endpoints);
    this.channels = List.copyOf(channels);
    this.requestTimeoutNanos = requestTimeoutNanos;
    this.budgetNanos = budgetNanos;
    this.backoff = backoff;
    this.time = time;
  }

  <T> T call(Kind kind, Attempt<T> attempt) {
    final long start = time.nanoTime();
    final long end = start + budgetNanos;
    final int first = preferred.get();
    final Map<String, String> lastErrors = new LinkedHashMap<>();
    StatusRuntimeException last = null;
    int attempts = 0;
    while (true) {
      final int index = (first + attempts) % channels.size();
      final ManagedChannel channel = channels.get(index);
      if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
        channel.resetConnectBackoff();
      }
      final long remaining = end - time.nanoTime();
      if (attempts > 0 && remaining < MIN_ATTEMPT_NANOS) {
        break; // an attempt this short can only time out, and would hide the informative error before it
      }
      final long deadline = Math.min(requestTimeoutNanos, remaining);
      try {
        final T result = attempt.run(channel, Math.max(1, deadline));
        preferred.set(index);
        return result;
      } catch (StatusRuntimeException e) {
        if (!kind.retries(e.getStatus().getCode())) {
          throw StatusErrors.toException(e, endpoints.get(index));
        }
        last = e;
        lastErrors.put(endpoints.get(index), describe(e.getStatus()));
      }
      final long pause = backoff.delayNanos(attempts);
      attempts++;
      if (time.nanoTime() + pause >= end) {
        break;
      }
      try {
        time.sleepNanos(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException("CANCELLED", "interrupted while retrying; last error: " + describe(last.getStatus()),
            e);
      }
    }
    throw unavailable(kind, lastErrors, attempts, time.nanoTime() - start, last);
  }

  private static ClusterUnavailableException unavailable(Kind kind, Map<String, String> lastErrors, int attempts,
      long elapsedNanos, StatusRuntimeException last) {
    final List<String> tried = new ArrayList<>();
    lastErrors.forEach((endpoint, error) -> tried.add(endpoint + " (" + error + ")"));
    final String message = String.format(Locale.ROOT, "no member answered in %.1f s (%d attempt%s): tried %s%s",
        elapsedNanos / 1e9, attempts, attempts == 1 ? "" : "s", String.join(", ", tried),
        kind == Kind.WRITE ? "; the write may or may not have been applied" : "");
    return new ClusterUnavailableException(message, new ArrayList<>(lastErrors.keySet()), kind == Kind.WRITE, last);
  }

  /** A status on one short line: code, description and, for transport errors, the cause's message. */
  static String describe(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    final int noise = description.indexOf(" [closed=");
    if (noise > 0) {
      description = description.substring(0, noise);
    }
    final Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null && !description.contains(cause.getMessage())) {
      description = description.isEmpty() || description.equals("io exception")
          ? cause.getMessage() : description + ": " + cause.getMessage();
    }
    final String text = description.isEmpty() ? status.getCode().name() : status.getCode() + ": " + description;
    return text.replaceAll("\\s*\\R\\s*", " ");
  }
}
