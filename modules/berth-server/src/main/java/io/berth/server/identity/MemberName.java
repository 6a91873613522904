package io.berth.server.identity;

/**
 * The name of a StatefulSet pod, {@code <statefulSet>-<ordinal>}: {@code berth-0} is (berth, 0) and
 * {@code my-db-12} is (my-db, 12). The ordinal is the number after the <em>last</em> '-'.
 *
 * <p>Only canonical names are accepted, the way Kubernetes writes them: a lower-case RFC 1123 label of at most
 * 63 characters, a non-negative ordinal that fits an {@code int}, no sign and no leading zeros. So
 * {@code parse(n).name().equals(n)} always holds.
 *
 * @param statefulSet the StatefulSet's name, itself a DNS label
 * @param ordinal     the pod's ordinal, {@code >= 0}
 */
public record MemberName(String statefulSet, int ordinal) {
  public MemberName {
    DnsName.requireLabel("StatefulSet name", statefulSet);
    if (ordinal < 0) {
      throw new ConfigException("ordinal " + ordinal + " of StatefulSet '" + statefulSet
          + "' is negative; ordinals start at 0");
    }
    String name = statefulSet + "-" + ordinal;
    if (name.length() > DnsName.MAX_LABEL) {
      throw new ConfigException("member name '" + name + "' is longer than " + DnsName.MAX_LABEL
          + " characters; use a shorter StatefulSet name");
    }
  }

  /** Parses a pod name; throws {@link ConfigException} with one line saying what is wrong. */
  public static MemberName parse(String name) {
    return parse(name, null);
  }

  /** As {@link #parse(String)}, naming where the value came from ({@code "--name"}, {@code "POD_NAME"}). */
  static MemberName parse(String name, String source) {
    String subject = "member name '" + name + "'" + (source == null ? "" : " (from " + source + ")");
    String fix = "; StatefulSet pods are named <statefulset>-<ordinal>, e.g. berth-0: pass the pod name with"
        + " --name or POD_NAME";
    if (name == null || name.isEmpty()) {
      throw new ConfigException("member name is empty" + (source == null ? "" : " (from " + source + ")") + fix);
    }
    int dash = name.lastIndexOf('-');
    if (dash < 0) {
      throw new ConfigException(subject + " has no ordinal (no '-')" + fix);
    }
    String statefulSet = name.substring(0, dash);
    String digits = name.substring(dash + 1);
    if (digits.isEmpty()) {
      throw new ConfigException(subject + " has nothing after its last '-'" + fix);
    }
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ConfigException(subject + " has ordinal '" + digits + "' after its last '-', which is not a"
          + " number (digits only, no sign)" + fix);
    }
    if (statefulSet.isEmpty()) {
      throw new ConfigException(subject + " has no StatefulSet name before its last '-'" + fix);
    }
    if (!DnsName.isLabel(name)) {
      throw new ConfigException(subject + " is not a valid DNS label: use at most " + DnsName.MAX_LABEL
          + " lower-case letters, digits or '-', starting and ending with a letter or digit");
    }
    if (!DnsName.isLabel(statefulSet)) {
      throw new ConfigException(subject + " has StatefulSet part '" + statefulSet + "', which is not a valid"
          + " DNS label (it must end with a letter or digit)" + fix);
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new ConfigException(subject + " has ordinal '" + digits + "' with a leading zero" + fix);
    }
    int ordinal;
    try {
      ordinal = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new ConfigException(subject + " has ordinal " + digits + ", which is too large (at most "
          + Integer.MAX_VALUE + ")" + fix);
    }
    return new MemberName(statefulSet, ordinal);
  }

  /** The pod name, {@code <statefulSet>-<ordinal>}; this is also the member's Raft peer id. */
  public String name() {
    return statefulSet + "-" + ordinal;
  }

  @Override
  public String toString() {
    return name();
  }
}
