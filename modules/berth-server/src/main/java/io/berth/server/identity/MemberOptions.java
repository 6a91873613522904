package io.berth.server.identity;

/**
 * The raw identity options of {@code berth server}, exactly as given on the command line: {@code null} means
 * "not given", so {@link MemberConfig#resolve} can fall back to the environment. Do not fill in defaults here
 * (the CLI must not give these options picocli default values); resolution applies them, in this order:
 * flag &gt; {@code BERTH_*} variable &gt; {@code POD_*} variable &gt; default.
 *
 * @param name          {@code --name}; else {@value #POD_NAME}, else the short host name
 * @param peers         {@code --peers NAME=HOST:PEER_PORT:CLIENT_PORT,...}; else {@value #BERTH_PEERS}
 * @param replicas      {@code --replicas}; else {@value #BERTH_REPLICAS}
 * @param service       {@code --service}; else {@value #BERTH_SERVICE}
 * @param namespace     {@code --namespace}; else {@value #BERTH_NAMESPACE}, else {@value #POD_NAMESPACE}
 * @param clusterDomain {@code --cluster-domain}; else {@value #BERTH_CLUSTER_DOMAIN}, else
 *                      {@value StatefulSetPeers#DEFAULT_CLUSTER_DOMAIN}
 * @param peerPort      {@code --peer-port}; else {@value StatefulSetPeers#DEFAULT_PEER_PORT} (with
 *                      {@code --peers}, the member's own entry decides and this must agree when given)
 * @param clientPort    {@code --client-port}; else {@value StatefulSetPeers#DEFAULT_CLIENT_PORT} (as above)
 * @param clusterName   the cluster's name for a {@code --peers} cluster, which has no StatefulSet; else
 *                      {@value ClusterIdentity#DEFAULT_NAME}. Lets two hand-started clusters on one machine
 *                      keep different group ids.
 */
public record MemberOptions(String name, String peers, Integer replicas, String service, String namespace,
    String clusterDomain, Integer peerPort, Integer clientPort, String clusterName) {

  public static final String POD_NAME = "POD_NAME";
  public static final String POD_NAMESPACE = "POD_NAMESPACE";
  public static final String BERTH_PEERS = "BERTH_PEERS";
  public static final String BERTH_REPLICAS = "BERTH_REPLICAS";
  public static final String BERTH_SERVICE = "BERTH_SERVICE";
  public static final String BERTH_NAMESPACE = "BERTH_NAMESPACE";
  public static final String BERTH_CLUSTER_DOMAIN = "BERTH_CLUSTER_DOMAIN";

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link MemberOptions}; every option starts unset. */
  public static final class Builder {
    private String name;
    private String peers;
    private Integer replicas;
    private String service;
    private String namespace;
    private String clusterDomain;
    private Integer peerPort;
    private Integer clientPort;
    private String clusterName;

    private Builder() {}

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder peers(String peers) {
      this.peers = peers;
      return this;
    }

    public Builder replicas(Integer replicas) {
      this.replicas = replicas;
      return this;
    }

    public Builder service(String service) {
      this.service = service;
      return this;
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder clusterDomain(String clusterDomain) {
      this.clusterDomain = clusterDomain;
      return this;
    }

    public Builder peerPort(Integer peerPort) {
      this.peerPort = peerPort;
      return this;
    }

    public Builder clientPort(Integer clientPort) {
      this.clientPort = clientPort;
      return this;
    }

    public Builder clusterName(String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    public MemberOptions build() {
      return new MemberOptions(name, peers, replicas, service, namespace, clusterDomain, peerPort, clientPort,
          clusterName);
    }
  }
}
