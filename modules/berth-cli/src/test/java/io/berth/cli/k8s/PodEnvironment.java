package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.str;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment and arguments the kubelet would give the member container of pod {@code berth-<ordinal>}:
 * plain values, the downward API ({@code fieldRef}, {@code resourceFieldRef}) and {@code $(VAR)} expansion, the
 * way Kubernetes applies them (a reference to a variable defined earlier in the list is replaced, {@code $$} is
 * a literal {@code $}, anything else is left as written). Sources a rendered manifest cannot resolve (Secrets,
 * ConfigMaps) fail the check, so the test never guesses.
 */
final class PodEnvironment {
  private PodEnvironment() {}

  static String podName(Rendered r, int ordinal) {
    return Yamls.str(r.statefulSet(), "metadata", "name") + "-" + ordinal;
  }

  static String podIp(int ordinal) {
    return "10.244.0." + (10 + ordinal);
  }

  static Map<String, String> env(Rendered r, int ordinal) {
    final Map<String, String> env = new LinkedHashMap<>();
    for (Object item : Yamls.listOrEmpty(r.container(), "env")) {
      final Map<String, Object> var = map(item);
      final String name = str(var, "name");
      final String value;
      if (var.containsKey("value")) {
        if (!(var.get("value") instanceof String s)) {
          throw new AssertionError("env " + name + " has value " + var.get("value") + " of type "
              + var.get("value").getClass().getSimpleName() + "; the API server accepts only strings (quote it)");
        }
        value = expand(s, env);
      } else {
        value = fromSource(r, ordinal, name, map(var, "valueFrom"));
      }
      env.put(name, value);
    }
    return env;
  }

  /** The container's command and args after {@code $(VAR)} expansion, as the container runtime receives them. */
  static List<String> argv(Rendered r, int ordinal) {
    final Map<String, String> env = env(r, ordinal);
    final List<String> argv = new ArrayList<>();
    for (String key : List.of("command", "args")) {
      for (Object o : Yamls.listOrEmpty(r.container(), key)) {
        if (!(o instanceof String s)) {
          throw new AssertionError(key + " element " + o + " is not a string; quote it");
        }
        argv.add(expand(s, env));
      }
    }
    return argv;
  }

  private static String fromSource(Rendered r, int ordinal, String name, Map<String, Object> from) {
    if (from.containsKey("fieldRef")) {
      final String field = str(from, "fieldRef", "fieldPath");
      return switch (field) {
        case "metadata.name" -> podName(r, ordinal);
        case "metadata.namespace" -> r.namespace();
        case "status.podIP" -> podIp(ordinal);
        case "spec.nodeName" -> "node-" + ordinal;
        case "spec.serviceAccountName" -> "default";
        default -> throw new AssertionError("env " + name + ": fieldRef " + field + " is not modelled here");
      };
    }
    if (from.containsKey("resourceFieldRef")) {
      final String resource = str(from, "resourceFieldRef", "resource");
      final String[] parts = resource.split("\\.", 2);
      final Object quantity = at(r.container(), "resources", parts[0], parts[1]);
      if (quantity == null) {
        throw new AssertionError("env " + name + " refers to " + resource + ", which the container does not set");
      }
      final Object divisor = at(from, "resourceFieldRef", "divisor");
      final BigDecimal value = Quantity.parse(quantity.toString())
          .divide(Quantity.parse(divisor == null ? "1" : divisor.toString()), 0, RoundingMode.CEILING);
      return value.toPlainString();
    }
    throw new AssertionError("env " + name + " comes from " + from.keySet() + ", which a rendered manifest cannot"
        + " resolve offline; use a value or the downward API");
  }

  /** Kubernetes' {@code $(VAR)} expansion against the variables defined so far. */
  static String expand(String s, Map<String, String> defined) {
    final StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      final char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
        final int close = s.indexOf(')', i + 2);
        final String var = close < 0 ? null : s.substring(i + 2, close);
        if (var != null && defined.containsKey(var)) {
          out.append(defined.get(var));
          i = close + 1;
        } else {
          out.append(c);
          i++;
        }
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
