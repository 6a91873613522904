package io.berth.client;

/**
 * The server rejected the request as invalid ({@code INVALID_ARGUMENT}), e.g. an empty key. Never retried: the
 * same request would be rejected again. The message is the server's.
 */
public class InvalidRequestException extends BerthException {
  public InvalidRequestException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
