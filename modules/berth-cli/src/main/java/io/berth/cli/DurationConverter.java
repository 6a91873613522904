package io.berth.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses a positive duration: a number with {@code ms}, {@code s} or {@code m}; a bare number is seconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

  @Override
  public Duration convert(String value) {
    final Matcher m = FORMAT.matcher(value.strip());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration: use e.g. 500ms, 10s or 1m");
    }
    final long n = Long.parseLong(m.group(1));
    final String unit = m.group(2) == null ? "s" : m.group(2);
    final Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.isZero()) {
      throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
    }
    return d;
  }
}
