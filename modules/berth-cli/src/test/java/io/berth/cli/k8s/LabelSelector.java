package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.listOrEmpty;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.str;

import java.util.List;
import java.util.Map;

/** Kubernetes label selector semantics: {@code matchLabels} and {@code matchExpressions}, as the API server applies them. */
final class LabelSelector {
  private LabelSelector() {}

  /** A {@code {matchLabels, matchExpressions}} selector; an empty one is rejected (it would select everything). */
  static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
    final Map<String, String> matchLabels = Yamls.strings(selector, "matchLabels");
    final List<Object> expressions = listOrEmpty(selector, "matchExpressions");
    if (matchLabels.isEmpty() && expressions.isEmpty()) {
      throw new AssertionError("empty label selector " + selector + " selects every pod");
    }
    return matchesLabels(matchLabels, labels) && expressions.stream().allMatch(e -> matchesExpression(map(e), labels));
  }

  /** A plain {@code key: value} selector (Service, Chaos Mesh labelSelectors); empty is rejected. */
  static boolean matchesLabels(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static boolean matchesExpression(Map<String, Object> e, Map<String, String> labels) {
    final String key = str(e, "key");
    final String op = str(e, "operator");
    final String value = labels.get(key);
    return switch (op) {
      case "In" -> value != null && list(e, "values").contains(value);
      case "NotIn" -> value == null || !list(e, "values").contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      default -> throw new AssertionError("unknown selector operator " + op);
    };
  }
}
