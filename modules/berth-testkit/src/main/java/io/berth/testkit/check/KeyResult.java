package io.berth.testkit.check;

import java.util.List;
import java.util.Optional;

/**
 * The linearizability verdict for one key.
 *
 * @param key        the key
 * @param verdict    valid, invalid or unknown
 * @param operations how many operations were searched
 * @param steps      search steps taken
 * @param blocked    on invalid: the operation that cannot be linearized after the longest linearizable prefix
 * @param prefix     on invalid: the longest linearizable prefix found, in linearization order
 * @param reason     on unknown: why the search stopped
 */
public record KeyResult(String key, Verdict verdict, int operations, long steps, Optional<Operation> blocked,
    List<Operation> prefix, String reason) {

  static KeyResult valid(String key, int operations, long steps) {
    return new KeyResult(key, Verdict.valid, operations, steps, Optional.empty(), List.of(), "");
  }

  static KeyResult invalid(String key, int operations, long steps, Operation blocked, List<Operation> prefix) {
    return new KeyResult(key, Verdict.invalid, operations, steps, Optional.of(blocked), List.copyOf(prefix), "");
  }

  static KeyResult unknown(String key, int operations, long steps, String reason) {
    return new KeyResult(key, Verdict.unknown, operations, steps, Optional.empty(), List.of(), reason);
  }
}
