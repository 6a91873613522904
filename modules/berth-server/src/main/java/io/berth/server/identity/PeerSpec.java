package io.berth.server.identity;

/**
 * One member of the Raft group as the others reach it.
 *
 * <p>{@code host} stays a name (or a literal the operator wrote): it is never resolved here, so a pod that is
 * rescheduled with a new IP is found again through DNS. IPv6 literals are held without brackets and bracketed
 * in the addresses.
 *
 * @param name       the member's name, which is also its Raft peer id (the pod name, e.g. {@code berth-1})
 * @param host       DNS name or IP literal, e.g. {@code berth-1.berth-peers.prod.svc.cluster.local}
 * @param peerPort   the Raft (peer) port, 1-65535
 * @param clientPort the client gRPC port, 1-65535
 */
public record PeerSpec(String name, String host, int peerPort, int clientPort) {
  public PeerSpec {
    DnsName.requireLabel("member name", name);
    if (!DnsName.isHostName(host) && !DnsName.isIpv6Literal(host)) {
      throw new ConfigException("host '" + host + "' of member " + name + " is not a valid host name or IP"
          + " address");
    }
    requirePort("peer port", peerPort, name);
    requirePort("client port", clientPort, name);
    if (peerPort == clientPort) {
      throw new ConfigException("member " + name + " uses port " + peerPort + " as both peer and client port;"
          + " give them different ports");
    }
  }

  /** The Raft address, {@code host:peerPort} ({@code [v6]:peerPort} for an IPv6 literal). */
  public String peerAddress() {
    return address(peerPort);
  }

  /** The client gRPC address, {@code host:clientPort} ({@code [v6]:clientPort} for an IPv6 literal). */
  public String clientAddress() {
    return address(clientPort);
  }

  private String address(int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  static boolean isPort(int port) {
    return port >= 1 && port <= 65535;
  }

  private static void requirePort(String what, int port, String member) {
    if (!isPort(port)) {
      throw new ConfigException(what + " " + port + " of member " + member + " is outside 1..65535");
    }
  }
}
