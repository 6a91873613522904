package io.berth.testkit.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.berth.testkit.history.Op;
import java.util.ArrayList;
import java.util.List;

/** Hand-made histories: each call is an invocation at {@code from} and a completion at {@code to}. */
final class H {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Op> ops = new ArrayList<>();

  static JsonNode v(Object value) {
    return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
  }

  /** Appends an invocation. */
  H invoke(int process, String f, String key, Object value, long time) {
    ops.add(new Op(process, Op.Type.invoke, f, key, v(value), time));
    return this;
  }

  /** Appends a completion. */
  H complete(int process, Op.Type type, String f, String key, Object value, long time) {
    ops.add(new Op(process, type, f, key, v(value), time));
    return this;
  }

  H write(int p, Object value, Op.Type type, long from, long to) {
    return invoke(p, "write", "x", value, from).complete(p, type, "write", "x", value, to);
  }

  H read(int p, Object value, long from, long to) {
    return invoke(p, "read", "x", null, from).complete(p, Op.Type.ok, "read", "x", value, to);
  }

  H cas(int p, Object expected, Object next, Op.Type type, long from, long to) {
    final List<Object> ev = List.of(expected, next);
    return invoke(p, "cas", "x", ev, from).complete(p, type, "cas", "x", ev, to);
  }

  /** Events sorted by time (invocations first at equal times), as a recorder would write them. */
  List<Op> sorted() {
    final List<Op> copy = new ArrayList<>(ops);
    copy.sort((a, b) -> a.time() != b.time() ? Long.compare(a.time(), b.time())
        : Integer.compare(a.type() == Op.Type.invoke ? 0 : 1, b.type() == Op.Type.invoke ? 0 : 1));
    return copy;
  }

  List<Op> events() {
    return List.copyOf(ops);
  }
}
