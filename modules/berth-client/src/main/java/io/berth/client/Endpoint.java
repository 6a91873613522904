package io.berth.client;

/** A member's client address, {@code host:port} ({@code [v6]:port} for an IPv6 literal). */
record Endpoint(String host, int port) {
  private static final String EXAMPLE = "(for example 127.0.0.1:7379)";

  /** Parses {@code host:port}, with one message per kind of mistake. */
  static Endpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an endpoint is empty: each must be HOST:PORT " + EXAMPLE);
    }
    final String s = text.strip();
    final int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("endpoint '" + s + "' has no port: it must be HOST:PORT " + EXAMPLE);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("endpoint '" + s + "': write an IPv6 address in brackets, e.g. [::1]:7379");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("endpoint '" + s + "' has no host: it must be HOST:PORT " + EXAMPLE);
    }
    final String portText = s.substring(colon + 1);
    final int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint '" + s + "' has port '" + portText
          + "', which is not a number: it must be HOST:PORT " + EXAMPLE);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint '" + s + "' has port " + port + ": a port is 1 to 65535");
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
