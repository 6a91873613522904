package io.berth.server.statemachine;

/**
 * What the member does when it can no longer apply the log correctly (a storage error, a corrupt entry). It must
 * not go on: a replica that skipped an entry would silently diverge from the others. The production handler logs
 * and halts the process with a non-zero status so the pod restarts and replays from its last durable state.
 */
@FunctionalInterface
public interface FatalErrorHandler {

  void fatal(String what, Throwable cause);

  /** Logs, then halts the JVM with status 70 (EX_SOFTWARE) without running shutdown hooks that could block. */
  static FatalErrorHandler haltProcess() {
    return (what, cause) -> {
      org.slf4j.LoggerFactory.getLogger(FatalErrorHandler.class).error("FATAL: {}; stopping this member", what, cause);
      System.err.println("berth: fatal: " + what + ": " + cause + " (stopping; the member replays its log on restart)");
      System.err.flush();
      Runtime.getRuntime().halt(70);
    };
  }
}
