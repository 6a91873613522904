package io.berth.cli.k8s;

import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML (maps, lists, scalars) that fails with the path that is missing or mistyped. */
final class Yamls {
  private Yamls() {}

  /** The value at {@code path} (map keys) under {@code node}, or {@code null} when any step is absent. */
  static Object at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String... path) {
    final Object value = at(node, path);
    if (!(value instanceof Map)) {
      throw new AssertionError("expected a map at " + String.join(".", path) + ", found " + value);
    }
    return (Map<String, Object>) value;
  }

  /** The map at {@code path}, or an empty map when it is absent. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mapOrEmpty(Object node, String... path) {
    final Object value = at(node, path);
    return value == null ? Map.of() : map(node, path);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node, String... path) {
    final Object value = at(node, path);
    if (!(value instanceof List)) {
      throw new AssertionError("expected a list at " + String.join(".", path) + ", found " + value);
    }
    return (List<Object>) value;
  }

  /** The list at {@code path}, or an empty list when it is absent. */
  static List<Object> listOrEmpty(Object node, String... path) {
    return at(node, path) == null ? List.of() : list(node, path);
  }

  static String str(Object node, String... path) {
    final Object value = at(node, path);
    if (!(value instanceof String s)) {
      throw new AssertionError("expected a string at " + String.join(".", path) + ", found "
          + (value == null ? "nothing" : value.getClass().getSimpleName() + " " + value));
    }
    return s;
  }

  static int integer(Object node, String... path) {
    final Object value = at(node, path);
    if (!(value instanceof Integer i)) {
      throw new AssertionError("expected an integer at " + String.join(".", path) + ", found "
          + (value == null ? "nothing" : value.getClass().getSimpleName() + " " + value));
    }
    return i;
  }

  /** The element of a list of maps whose {@code name} is {@code name}. */
  static Map<String, Object> named(List<Object> list, String name) {
    return list.stream().map(Yamls::map).filter(m -> name.equals(m.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no entry named '" + name + "' in " + list));
  }

  static Map<String, Object> map(Object node) {
    return map(node, new String[0]);
  }

  /** The string map at {@code path} (labels, selectors), empty when absent. */
  static Map<String, String> strings(Object node, String... path) {
    final Map<String, Object> raw = mapOrEmpty(node, path);
    final java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
    raw.forEach((k, v) -> {
      if (!(v instanceof String s)) {
        throw new AssertionError("value of " + k + " at " + String.join(".", path) + " must be a string, found "
            + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
      }
      out.put(k, s);
    });
    return out;
  }
}
