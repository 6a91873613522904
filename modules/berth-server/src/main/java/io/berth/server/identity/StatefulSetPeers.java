package io.berth.server.identity;

import java.util.ArrayList;
import java.util.List;

/**
 * The peers of a StatefulSet behind a headless Service: pod {@code i} is
 * {@code <statefulSet>-<i>.<service>.<namespace>.svc.<clusterDomain>} for {@code i} in {@code 0..replicas-1},
 * with the same ports on every pod.
 *
 * <p>The names are derived, never looked up: a pod that is not scheduled yet, or is being rescheduled, still
 * has its name, and the Raft layer retries it until it resolves.
 *
 * @param statefulSet   the StatefulSet's name (the pod name minus its ordinal)
 * @param replicas      the number of members the cluster is created with (its bootstrap voters), {@code >= 1}
 * @param service       the headless Service governing the StatefulSet ({@code spec.serviceName})
 * @param namespace     the namespace of both
 * @param clusterDomain the cluster's DNS domain, usually {@value #DEFAULT_CLUSTER_DOMAIN}
 * @param peerPort      the Raft port on every pod
 * @param clientPort    the client gRPC port on every pod
 */
public record StatefulSetPeers(String statefulSet, int replicas, String service, String namespace,
    String clusterDomain, int peerPort, int clientPort) {

  public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
  public static final int DEFAULT_PEER_PORT = 7380;
  public static final int DEFAULT_CLIENT_PORT = 7379;

  public StatefulSetPeers {
    DnsName.requireLabel("StatefulSet name", statefulSet);
    if (replicas < 1) {
      throw new ConfigException("replicas is " + replicas + "; a cluster needs at least 1 member: set"
          + " --replicas/BERTH_REPLICAS to the StatefulSet's spec.replicas");
    }
    DnsName.requireLabel("service", service);
    DnsName.requireLabel("namespace", namespace);
    if (!DnsName.isHostName(clusterDomain)) {
      throw new ConfigException("cluster domain '" + clusterDomain + "' is not a valid DNS name (no trailing"
          + " dot); it is usually " + DEFAULT_CLUSTER_DOMAIN);
    }
    // Validates the highest ordinal's name and host, ports included, once, up front.
    new MemberName(statefulSet, replicas - 1);
    String longest = host(statefulSet, replicas - 1, service, namespace, clusterDomain);
    if (longest.length() > DnsName.MAX_NAME) {
      throw new ConfigException("peer host name '" + longest + "' is longer than " + DnsName.MAX_NAME
          + " characters; use shorter StatefulSet, service or namespace names");
    }
    new PeerSpec(statefulSet + "-0", longest, peerPort, clientPort);
  }

  /** The peer with this ordinal among the bootstrap peers; throws when it is outside {@code 0..replicas-1}. */
  public PeerSpec peer(int ordinal) {
    if (ordinal < 0 || ordinal >= replicas) {
      throw new IllegalArgumentException("ordinal " + ordinal + " outside 0.." + (replicas - 1));
    }
    return pod(ordinal);
  }

  /**
   * The addresses of the pod with this ordinal, whether or not it is among the bootstrap peers (a pod created
   * by scaling up has its DNS name too). Throws {@link ConfigException} when its host name would be too long.
   */
  public PeerSpec pod(int ordinal) {
    if (ordinal < 0) {
      throw new IllegalArgumentException("negative ordinal " + ordinal);
    }
    final String host = host(statefulSet, ordinal, service, namespace, clusterDomain);
    if (host.length() > DnsName.MAX_NAME) {
      throw new ConfigException("peer host name '" + host + "' is longer than " + DnsName.MAX_NAME
          + " characters; use shorter StatefulSet, service or namespace names");
    }
    return new PeerSpec(statefulSet + "-" + ordinal, host, peerPort, clientPort);
  }

  /** All peers, ordered by ordinal. */
  public List<PeerSpec> peers() {
    List<PeerSpec> peers = new ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      peers.add(peer(i));
    }
    return List.copyOf(peers);
  }

  /**
   * This member's own entry. Throws {@link ConfigException} when it belongs to another StatefulSet. An ordinal
   * outside the bootstrap peers is allowed: such a pod was created by scaling up and joins the running cluster
   * (see {@link MemberConfig#bootstrapVoter()}).
   */
  public PeerSpec self(MemberName member) {
    if (!member.statefulSet().equals(statefulSet)) {
      throw new ConfigException("member " + member + " does not belong to StatefulSet '" + statefulSet
          + "'; its name must be " + statefulSet + "-<ordinal>");
    }
    return pod(member.ordinal());
  }

  private static String host(String sts, int ordinal, String service, String namespace, String domain) {
    return sts + "-" + ordinal + "." + service + "." + namespace + ".svc." + domain;
  }
}
