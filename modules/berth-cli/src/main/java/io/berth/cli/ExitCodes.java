package io.berth.cli;

/** The exit codes every {@code berth} command uses (fixed by DESIGN.md; scripts rely on them). */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** Key not found, CAS mismatch, check failed. */
  public static final int NOT_FOUND_OR_FAILED = 1;
  /** Bad flags or arguments. */
  public static final int USAGE = 2;
  /** No member could be reached, or no leader could be found in time. */
  public static final int UNAVAILABLE = 3;
  /** A check could not finish (time or memory ran out): nothing was proven either way. Never 0. */
  public static final int CHECK_UNKNOWN = 4;
}
