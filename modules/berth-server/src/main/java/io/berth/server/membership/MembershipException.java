package io.berth.server.membership;

/** A membership change that was refused before anything changed; the message says why and what to do. */
public class MembershipException extends RuntimeException {
  /** Why a change was refused. */
  public enum Reason {
    /** No member of that name is in the configuration. */
    UNKNOWN_MEMBER,
    /** The change would leave the cluster without a live majority of voters, or is otherwise unsafe. */
    UNSAFE,
    /** The request does not make sense for that member (already a voter, not running, ...). */
    INVALID
  }

  private final Reason reason;

  public MembershipException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
