package io.berth.client;

/**
 * The request is over a size limit: the key or value limit ({@code INVALID_ARGUMENT} "key too large: ..." /
 * "value too large: ..."), or the gRPC message limit ({@code RESOURCE_EXHAUSTED}). Never retried. The message
 * is the server's and names the limit.
 */
public class RequestTooLargeException extends InvalidRequestException {
  public RequestTooLargeException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
