package io.berth.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of a Prometheus text exposition, for assertions: name, labels, value. */
record PrometheusText(List<Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static PrometheusText parse(String text) {
    final List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      final Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a Prometheus sample line: " + line);
      }
      final Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        final Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, parseValue(m.group(4))));
    }
    return new PrometheusText(samples);
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  /** True when a sample of {@code name} exists (as itself or as a histogram/summary family's series). */
  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name) || s.name().equals(name + "_count")
        || s.name().equals(name + "_bucket"));
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}. */
  double value(String name, Map<String, String> labels) {
    final List<Sample> found = samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
    }
    return found.get(0).value();
  }

  double valueOr(String name, Map<String, String> labels, double absent) {
    return samples.stream().anyMatch(s -> s.name().equals(name)
        && s.labels().entrySet().containsAll(labels.entrySet())) ? value(name, labels) : absent;
  }

  Set<String> labelValues(String label) {
    final Set<String> values = new TreeSet<>();
    samples.forEach(s -> {
      if (s.labels().containsKey(label)) {
        values.add(s.labels().get(label));
      }
    });
    return values;
  }
}
