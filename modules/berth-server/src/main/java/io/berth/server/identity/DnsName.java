package io.berth.server.identity;

import java.util.regex.Pattern;

/**
 * The DNS name rules Kubernetes applies: RFC 1123 labels (pod, StatefulSet, Service and namespace names) and
 * dotted host names. Syntax only; nothing here looks a name up.
 */
final class DnsName {
  static final int MAX_LABEL = 63;
  static final int MAX_NAME = 253;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  // Host names are case-insensitive, so a hand-written --peers host may use upper case.
  private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

  private DnsName() {}

  /** True for a lower-case RFC 1123 label: 1-63 of {@code [a-z0-9-]}, starting and ending alphanumeric. */
  static boolean isLabel(String s) {
    return s != null && s.length() <= MAX_LABEL && LABEL.matcher(s).matches();
  }

  /** True for a dotted host name (IPv4 literals included) of at most 253 characters, no trailing dot. */
  static boolean isHostName(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_NAME) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (label.length() > MAX_LABEL || !HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** True for something shaped like an IPv6 literal (without brackets), optionally with a zone. */
  static boolean isIpv6Literal(String s) {
    return s != null && s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
  }

  /**
   * Returns {@code value} when it is a label, else throws naming {@code what} (for example
   * {@code "--service"}) and the value.
   */
  static String requireLabel(String what, String value) {
    if (!isLabel(value)) {
      throw new ConfigException(what + " '" + value + "' is not a valid DNS label: use 1-" + MAX_LABEL
          + " lower-case letters, digits or '-', starting and ending with a letter or digit");
    }
    return value;
  }
}
