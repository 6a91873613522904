package io.berth.server.identity;

/**
 * A member's configuration or volume identity is wrong in a way only the operator can fix.
 *
 * <p>The message is one line meant for stderr as is: what is wrong, the offending value, and what to do. The
 * CLI maps it to exit code 2 (usage error) and never prints a stack trace for it.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
