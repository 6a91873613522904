package io.berth.storage;

/**
 * A failure of the member's local storage. The message is written for an operator: it names the path, what
 * went wrong and what to do about it.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
