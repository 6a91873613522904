package io.berth.testkit.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.testkit.history.Op;

/**
 * One call as a checker sees it: an invocation paired with its completion.
 *
 * @param id      dense index within its partition (the search's bitset position)
 * @param process the client that made it
 * @param f       {@code read}, {@code write}, {@code cas}, {@code add} or {@code read-all}
 * @param key     the key it acts on
 * @param input   the invocation's value (written value, {@code [expected, new]}, added element)
 * @param output  the completion's value (what a read returned); null node when unknown
 * @param call    invocation time, nanoseconds
 * @param ret     completion time; {@link Long#MAX_VALUE} for an {@code info} (or never completed) call, which may
 *                take effect at any time after its invocation, or never
 * @param type    {@link Op.Type#ok} or {@link Op.Type#info}; {@code fail} calls did not happen and are dropped
 * @param event   0-based position of the invocation in the history file
 */
public record Operation(int id, int process, String f, String key, JsonNode input, JsonNode output, long call,
    long ret, Op.Type type, int event) {

  /** True when the outcome is unknown (it may or may not have taken effect). */
  public boolean unknown() {
    return type == Op.Type.info;
  }

  /** This operation with another dense id. */
  Operation withId(int newId) {
    return new Operation(newId, process, f, key, input, output, call, ret, type, event);
  }

  /** A short human form: {@code p3 write k7 2 ok [t=1.234s..1.240s]}. */
  public String describe(long origin) {
    final StringBuilder s = new StringBuilder("process ").append(process).append(' ').append(f);
    if (!key.isEmpty()) {
      s.append(' ').append(key);
    }
    if (!input.isNull() && !input.isMissingNode()) {
      s.append(' ').append(input);
    }
    s.append(" -> ").append(type == Op.Type.ok ? (f.equals("read") ? output.toString() : "ok") : "info");
    s.append(String.format(" [%.6fs..%s]", (call - origin) / 1e9,
        ret == Long.MAX_VALUE ? "never" : String.format("%.6fs", (ret - origin) / 1e9)));
    return s.toString();
  }
}
