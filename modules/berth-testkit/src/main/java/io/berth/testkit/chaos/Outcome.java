package io.berth.testkit.chaos;

import io.berth.client.BerthException;
import io.berth.client.ClusterUnavailableException;
import io.berth.client.InvalidRequestException;
import io.berth.testkit.history.Op;

/**
 * How an exception from the client classifies a call, honestly. A write that did not get an answer (no member
 * answered in the retry budget, a deadline, {@code UNAVAILABLE}, not the leader, any unexpected error) may still
 * commit: {@code info}. Only a rejection before replication ({@link InvalidRequestException}) is a definite
 * {@code fail}. A read that errors had no effect: {@code fail}.
 */
final class Outcome {
  private Outcome() {}

  static Op.Type ofWriteError(RuntimeException e) {
    return e instanceof InvalidRequestException ? Op.Type.fail : Op.Type.info;
  }

  static Op.Type ofReadError(RuntimeException e) {
    return Op.Type.fail;
  }

  /** A short label of the error for the run's tally ({@code UNAVAILABLE}, {@code INVALID_ARGUMENT}, ...). */
  static String label(RuntimeException e) {
    if (e instanceof ClusterUnavailableException) {
      return "unavailable";
    }
    return e instanceof BerthException b ? b.code() : e.getClass().getSimpleName();
  }
}
