package io.berth.testkit.check;

/**
 * A history that breaks its own rules (a completion without an invocation, two invocations outstanding on one
 * process, an unknown operation, time going backwards): it cannot be checked at all.
 */
public final class MalformedHistoryException extends IllegalArgumentException {
  private final int event;

  /**
   * @param event the 0-based position of the offending event in the history
   */
  public MalformedHistoryException(int event, String message) {
    super(message);
    this.event = event;
  }

  /** The 0-based position of the offending event in the history. */
  public int event() {
    return event;
  }
}
