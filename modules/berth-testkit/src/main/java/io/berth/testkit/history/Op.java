package io.berth.testkit.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * One history event, as DESIGN.md fixes it (one JSON object per line):
 * {@code {"process":3,"type":"invoke|ok|fail|info","f":"read|write|cas|add|read-all","key":"k7","value":...,"time":NANOS}}.
 *
 * <p>{@code value}: the value written ({@code write}, {@code add}), read ({@code read}, on {@code ok}; null
 * when the key is absent), {@code [expected, new]} for {@code cas}, every element for {@code read-all}.
 *
 * @param process the client that issued it; each process has at most one operation outstanding
 * @param type    {@code invoke} when it started; then {@code ok} (it happened), {@code fail} (it certainly did
 *                not happen) or {@code info} (unknown: it may or may not have happened)
 * @param f       the operation
 * @param key     the key it acts on (empty for {@code read-all})
 * @param value   see above; {@link NullNode} when none
 * @param time    monotonic nanoseconds (comparable within one history only)
 */
public record Op(int process, Type type, String f, String key, JsonNode value, long time) {

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    key = key == null ? "" : key;
    value = value == null ? NullNode.getInstance() : value;
  }

  /** An event's type. Lower-case names are the wire format. */
  public enum Type {
    invoke, ok, fail, info
  }

  /** This event with another type, value and time: the completion of an invocation. */
  public Op complete(Type t, JsonNode v, long nanos) {
    return new Op(process, t, f, key, v, nanos);
  }
}
