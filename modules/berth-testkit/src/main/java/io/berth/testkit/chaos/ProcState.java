package io.berth.testkit.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's state as the kernel reports it, for evidence: {@code R}/{@code S} running, {@code T} stopped. */
final class ProcState {
  private ProcState() {}

  /** The state letter from {@code /proc/PID/stat}, {@code gone} when there is no such process, {@code ?} if unknown. */
  static String of(long pid) {
    if (pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
      return "gone";
    }
    try {
      final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": the state follows the last ')'.
      return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.of(pid).isPresent() ? "?" : "gone";
    }
  }

  /** Waits up to two seconds for {@code pid} to reach {@code state}. */
  static String await(long pid, String state) {
    String now = of(pid);
    for (int i = 0; i < 40 && !now.equals(state); i++) {
      Pause.millis(50);
      now = of(pid);
    }
    return now;
  }
}
