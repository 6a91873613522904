package io.berth.server.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The explicit peer list of a hand-started cluster: {@code NAME=HOST:PEER_PORT:CLIENT_PORT,...}, for example
 * {@code berth-0=127.0.0.1:7380:7379, berth-1=127.0.0.2:7380:7379}. Whitespace around entries is ignored; an
 * IPv6 literal host goes in brackets ({@code n1=[::1]:7380:7379}).
 *
 * <p>Names are the members' Raft peer ids and must be DNS labels; unlike StatefulSet mode they need no
 * ordinal. The list order is kept. Every mistake is reported as a {@link ConfigException} naming the entry.
 */
public final class PeerList {
  static final String FORMAT = "NAME=HOST:PEER_PORT:CLIENT_PORT";

  private PeerList() {}

  /** Parses a {@code --peers} value. */
  public static List<PeerSpec> parse(String spec) {
    return parse(spec, "--peers");
  }

  /** Formats peers back into the {@code --peers} syntax; {@code parse(format(p))} equals {@code p}. */
  public static String format(List<PeerSpec> peers) {
    return peers.stream()
        .map(p -> p.name() + "=" + p.peerAddress() + ":" + p.clientPort())
        .collect(Collectors.joining(","));
  }

  /** As {@link #parse(String)}, naming where the list came from ({@code "--peers"} or {@code "BERTH_PEERS"}). */
  static List<PeerSpec> parse(String spec, String source) {
    if (spec == null || spec.isBlank()) {
      throw new ConfigException(source + " is empty; expected " + FORMAT + ",...");
    }
    String[] entries = spec.split(",", -1);
    List<PeerSpec> peers = new ArrayList<>(entries.length);
    Map<String, String> entryByName = new HashMap<>();
    Map<String, String> entryByAddress = new HashMap<>();
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      if (entry.isEmpty()) {
        throw new ConfigException(source + " has an empty entry at position " + (i + 1) + " in '" + spec.strip()
            + "'; remove the extra ','");
      }
      PeerSpec peer = parseEntry(entry, source);
      String sameName = entryByName.putIfAbsent(peer.name(), entry);
      if (sameName != null) {
        throw new ConfigException(source + " names member " + peer.name() + " twice ('" + sameName + "' and '"
            + entry + "'); each member needs its own name");
      }
      for (int port : new int[] {peer.peerPort(), peer.clientPort()}) {
        String address = peer.host().toLowerCase(Locale.ROOT) + ":" + port;
        String sameAddress = entryByAddress.putIfAbsent(address, entry);
        if (sameAddress != null) {
          throw new ConfigException(source + " entries '" + sameAddress + "' and '" + entry + "' both use "
              + address + "; each member needs its own host:port");
        }
      }
      peers.add(peer);
    }
    return List.copyOf(peers);
  }

  private static PeerSpec parseEntry(String entry, String source) {
    String bad = "invalid " + source + " entry '" + entry + "': ";
    String expected = "; expected " + FORMAT;
    int eq = entry.indexOf('=');
    if (eq < 0) {
      throw new ConfigException(bad + "no '='" + expected);
    }
    String name = entry.substring(0, eq).strip();
    String address = entry.substring(eq + 1).strip();
    if (name.isEmpty()) {
      throw new ConfigException(bad + "no name before '='" + expected);
    }
    if (!DnsName.isLabel(name)) {
      throw new ConfigException(bad + "name '" + name + "' is not a valid DNS label (lower-case letters, digits"
          + " or '-', at most " + DnsName.MAX_LABEL + ", starting and ending with a letter or digit)");
    }
    String host;
    String ports;
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      if (close < 0) {
        throw new ConfigException(bad + "'[' without ']' around the IPv6 host" + expected);
      }
      host = address.substring(1, close);
      ports = address.substring(close + 1);
      if (!ports.startsWith(":")) {
        throw new ConfigException(bad + "no ports after the host" + expected);
      }
      ports = ports.substring(1);
      if (!DnsName.isIpv6Literal(host)) {
        throw new ConfigException(bad + "'" + host + "' in brackets is not an IPv6 address");
      }
    } else {
      int colon = address.indexOf(':');
      if (colon < 0) {
        throw new ConfigException(bad + (address.isEmpty() ? "no host and ports" : "no ports") + expected);
      }
      host = address.substring(0, colon);
      ports = address.substring(colon + 1);
      if (ports.chars().filter(c -> c == ':').count() > 1) {
        throw new ConfigException(bad + "too many ':' (an IPv6 host goes in brackets, [::1])" + expected);
      }
    }
    if (host.isEmpty()) {
      throw new ConfigException(bad + "no host" + expected);
    }
    if (ports.isEmpty()) {
      throw new ConfigException(bad + "no ports" + expected);
    }
    if (!DnsName.isHostName(host) && !DnsName.isIpv6Literal(host)) {
      throw new ConfigException(bad + "host '" + host + "' is not a valid host name or IP address");
    }
    int colon = ports.indexOf(':');
    if (colon < 0) {
      throw new ConfigException(bad + "no client port" + expected);
    }
    int peerPort = port(ports.substring(0, colon), "peer", bad, expected);
    int clientPort = port(ports.substring(colon + 1), "client", bad, expected);
    if (peerPort == clientPort) {
      throw new ConfigException(bad + "peer and client port are both " + peerPort + "; give them different"
          + " ports");
    }
    return new PeerSpec(name, host, peerPort, clientPort);
  }

  private static int port(String text, String which, String bad, String expected) {
    if (text.isEmpty()) {
      throw new ConfigException(bad + "no " + which + " port" + expected);
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ConfigException(bad + which + " port '" + text + "' is not a number" + expected);
    }
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (!PeerSpec.isPort(port)) {
      throw new ConfigException(bad + which + " port " + text + " is outside 1..65535");
    }
    return port;
  }
}
