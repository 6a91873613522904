package io.berth.testkit.check;

/** What a checker concluded. Only {@link #valid} passes: {@link #unknown} (the check could not finish) never does. */
public enum Verdict {
  valid, invalid, unknown;

  /** The worse of two verdicts: invalid beats unknown beats valid. */
  public Verdict and(Verdict other) {
    if (this == invalid || other == invalid) {
      return invalid;
    }
    return this == unknown || other == unknown ? unknown : valid;
  }
}
