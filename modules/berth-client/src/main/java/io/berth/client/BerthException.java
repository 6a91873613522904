package io.berth.client;

/**
 * The base of every exception the client throws (all unchecked). The message is the server's own text where
 * there is one.
 *
 * <p>Subclasses say what to do: {@link ClusterUnavailableException} (no member answered within the retry
 * budget; for a write the outcome is unknown), {@link InvalidRequestException} (fix the request; never
 * retried) and its {@link RequestTooLargeException}. Any other failure the server reports (for example
 * {@code FAILED_PRECONDITION} from a leadership transfer to an unknown member) is a plain
 * {@code BerthException} whose {@link #code()} names the gRPC status.
 */
public class BerthException extends RuntimeException {
  private final String code;

  public BerthException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The gRPC status code name the failure came with, e.g. {@code "INVALID_ARGUMENT"} or {@code "UNAVAILABLE"}. */
  public String code() {
    return code;
  }
}
