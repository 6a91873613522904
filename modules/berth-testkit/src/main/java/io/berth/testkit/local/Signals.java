package io.berth.testkit.local;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** POSIX signals the JDK has no API for (SIGSTOP, SIGCONT), sent with {@code kill}. */
final class Signals {
  private Signals() {}

  static void send(long pid, String signal) {
    try {
      final Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).start();
      final String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal, e);
    }
  }
}
