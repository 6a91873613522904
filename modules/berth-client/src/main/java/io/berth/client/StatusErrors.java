package io.berth.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Maps a status the client does not retry to the exception the caller sees, keeping the server's text. */
final class StatusErrors {
  private StatusErrors() {}

  /**
   * The server's own text for rejected requests; for any other status, which endpoint answered it and how (an
   * {@code UNIMPLEMENTED} from a port that is not a Berth client port, for instance).
   */
  static BerthException toException(StatusRuntimeException e, String endpoint) {
    final Status status = e.getStatus();
    final String code = status.getCode().name();
    final String description = status.getDescription();
    switch (status.getCode()) {
      case INVALID_ARGUMENT:
        if (description != null && isSizeLimit(description)) {
          return new RequestTooLargeException(code, description, e);
        }
        return new InvalidRequestException(code, description == null ? "invalid request" : description, e);
      case RESOURCE_EXHAUSTED:
        return new RequestTooLargeException(code, description == null ? "request too large" : description, e);
      default:
        return new BerthException(code, endpoint + " answered " + Failover.describe(status), e);
    }
  }

  /** The server's size-limit messages start with "key too large" or "value too large". */
  private static boolean isSizeLimit(String description) {
    return description.startsWith("key too large") || description.startsWith("value too large");
  }
}
