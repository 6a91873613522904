package io.berth.client;

import java.util.List;

/**
 * No member gave an answer within the call's retry budget: every endpoint was unreachable, had no leader, or
 * ran out of time. The message names every endpoint tried with its last error.
 *
 * <p>For a write this does <em>not</em> mean the write failed: an attempt may have reached the leader and may
 * still be applied ({@link #outcomeUnknown()}). Read the key to find out.
 */
public class ClusterUnavailableException extends BerthException {
  private final List<String> endpointsTried;
  private final boolean outcomeUnknown;

  public ClusterUnavailableException(String message, List<String> endpointsTried, boolean outcomeUnknown,
      Throwable lastError) {
    super("UNAVAILABLE", message, lastError);
    this.endpointsTried = List.copyOf(endpointsTried);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** The endpoints tried, in the order first tried. */
  public List<String> endpointsTried() {
    return endpointsTried;
  }

  /** True for a write, which may or may not have been applied. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
