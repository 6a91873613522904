package io.berth.cli.k8s;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 512Mi}, {@code 1Gi}, {@code 500m}, {@code 2}) as exact numbers. */
final class Quantity {
  private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)");
  private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
      Map.entry("", BigDecimal.ONE), Map.entry("m", new BigDecimal("0.001")),
      Map.entry("k", BigDecimal.TEN.pow(3)), Map.entry("M", BigDecimal.TEN.pow(6)),
      Map.entry("G", BigDecimal.TEN.pow(9)), Map.entry("T", BigDecimal.TEN.pow(12)),
      Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
      Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)));

  private Quantity() {}

  static BigDecimal parse(String quantity) {
    final Matcher m = FORM.matcher(quantity.strip());
    if (!m.matches() || !SUFFIX.containsKey(m.group(2))) {
      throw new AssertionError("'" + quantity + "' is not a resource quantity this check understands");
    }
    return new BigDecimal(m.group(1)).multiply(SUFFIX.get(m.group(2)));
  }
}
