package io.berth.testkit.local;

import io.berth.testkit.local.StatefulSetSpec.Container;
import io.berth.testkit.local.StatefulSetSpec.EnvVar;
import io.berth.testkit.local.StatefulSetSpec.Mount;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kubelet hands one pod's container: its env (literal values, downward API, resource fields) and its
 * args, with {@code $(VAR)} references expanded the way Kubernetes expands them, and every path under a
 * volume's {@code mountPath} mapped to the directory that backs the volume on this machine.
 */
final class PodEnvironment {
  private static final Pattern REF = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
  private static final Pattern QUANTITY = Pattern.compile("^([+-]?[0-9.]+)([a-zA-Z]*)$");

  private final Map<String, String> env;
  private final List<String> args;

  private PodEnvironment(Map<String, String> env, List<String> args) {
    this.env = env;
    this.args = args;
  }

  /**
   * Resolves {@code container} for the pod {@code podName}.
   *
   * @param fields  downward-API fields this pod has ({@code metadata.name}, {@code status.podIP}, ...)
   * @param volumes host directory per volume name
   */
  static PodEnvironment resolve(Container container, Map<String, String> fields, Map<String, Path> volumes) {
    final List<Mount> mounts = container.mounts().stream()
        .filter(m -> volumes.containsKey(m.volume()))
        .sorted(Comparator.comparingInt((Mount m) -> m.mountPath().length()).reversed())
        .toList();
    final Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.env()) {
      final String raw;
      if (var.value().isPresent()) {
        raw = expand(var.value().get(), env);
      } else if (var.fieldPath().isPresent()) {
        raw = fields.get(var.fieldPath().get());
        if (raw == null) {
          throw new IllegalArgumentException("env " + var.name() + ": the emulator does not provide fieldPath "
              + var.fieldPath().get() + " (it provides " + fields.keySet() + ")");
        }
      } else if (var.resource().isPresent()) {
        raw = resourceField(container, var.resource().get(), var.divisor().orElse("1"));
      } else {
        raw = "";
      }
      env.put(var.name(), mapPaths(raw, mounts, volumes));
    }
    final List<String> args = new ArrayList<>();
    for (String arg : container.args()) {
      args.add(mapPaths(expand(arg, env), mounts, volumes));
    }
    return new PodEnvironment(env, args);
  }

  /** The container's env, in manifest order. */
  Map<String, String> env() {
    return env;
  }

  /** The container's args, expanded. */
  List<String> args() {
    return args;
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: defined references are replaced, undefined ones kept, {@code $$} is
   * {@code $}.
   */
  static String expand(String text, Map<String, String> env) {
    final Matcher m = REF.matcher(text);
    final StringBuilder out = new StringBuilder();
    while (m.find()) {
      final String replacement;
      if (m.group(1) == null) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Replaces each mount path (as a whole path or a prefix of one) inside {@code text} by the volume's directory,
   * in one pass, so a volume directory that itself lies under another mount path is not mapped twice.
   */
  static String mapPaths(String text, List<Mount> mounts, Map<String, Path> volumes) {
    if (mounts.isEmpty()) {
      return text;
    }
    final Map<String, String> byPath = new LinkedHashMap<>();
    for (Mount mount : mounts) {
      final String path = mount.mountPath().endsWith("/") && mount.mountPath().length() > 1
          ? mount.mountPath().substring(0, mount.mountPath().length() - 1) : mount.mountPath();
      byPath.putIfAbsent(path, volumes.get(mount.volume()).toString());
    }
    final String alternatives = byPath.keySet().stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .map(Pattern::quote)
        .reduce((a, b) -> a + "|" + b)
        .orElseThrow();
    final Pattern p = Pattern.compile("(?<=^|[\\s=:,])(" + alternatives + ")(?=$|[/\\s:,])");
    return p.matcher(text).replaceAll(m -> Matcher.quoteReplacement(byPath.get(m.group(1))));
  }

  /** {@code limits.memory} / {@code requests.cpu} ... divided by {@code divisor}, rounded up, as Kubernetes does. */
  static String resourceField(Container c, String resource, String divisor) {
    final int dot = resource.indexOf('.');
    final String kind = dot < 0 ? "" : resource.substring(0, dot);
    final String what = dot < 0 ? resource : resource.substring(dot + 1);
    final Map<String, String> source = kind.equals("requests") ? c.requests() : c.limits();
    final String value = source.get(what);
    if (value == null) {
      throw new IllegalArgumentException("resourceFieldRef " + resource + ": the container sets no " + resource
          + " (the emulator has no node capacity to fall back to)");
    }
    return quantity(value).divide(quantity(divisor), 0, RoundingMode.CEILING).toPlainString();
  }

  /** A Kubernetes quantity ({@code 512Mi}, {@code 1G}, {@code 250m}, {@code 2}) as a number. */
  static BigDecimal quantity(String text) {
    final Matcher m = QUANTITY.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes quantity: " + text);
    }
    final BigDecimal n = new BigDecimal(m.group(1));
    final BigDecimal scale = switch (m.group(2)) {
      case "" -> BigDecimal.ONE;
      case "m" -> new BigDecimal("0.001");
      case "k" -> BigDecimal.valueOf(1_000L);
      case "M" -> BigDecimal.valueOf(1_000_000L);
      case "G" -> BigDecimal.valueOf(1_000_000_000L);
      case "T" -> BigDecimal.valueOf(1_000_000_000_000L);
      case "Ki" -> BigDecimal.valueOf(1L << 10);
      case "Mi" -> BigDecimal.valueOf(1L << 20);
      case "Gi" -> BigDecimal.valueOf(1L << 30);
      case "Ti" -> BigDecimal.valueOf(1L << 40);
      default -> throw new IllegalArgumentException("unknown quantity suffix in " + text);
    };
    return n.multiply(scale);
  }
}
