package io.berth.server.identity;

import static io.berth.server.identity.MemberOptions.BERTH_CLUSTER_DOMAIN;
import static io.berth.server.identity.MemberOptions.BERTH_NAMESPACE;
import static io.berth.server.identity.MemberOptions.BERTH_PEERS;
import static io.berth.server.identity.MemberOptions.BERTH_REPLICAS;
import static io.berth.server.identity.MemberOptions.BERTH_SERVICE;
import static io.berth.server.identity.MemberOptions.POD_NAME;
import static io.berth.server.identity.MemberOptions.POD_NAMESPACE;

import io.berth.proto.internal.v1.MemberIdentity;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Who this member is, who its peers are and which Raft group they form: resolved once at startup, validated,
 * then immutable and shared by the rest of the server.
 *
 * <p>{@link #resolve} applies the StatefulSet contract to the raw options and the environment. Each setting is
 * taken from the first of: its flag, its {@code BERTH_*} variable, its {@code POD_*} variable, its default
 * (see {@link MemberOptions} for each one). The peers come from exactly one of two places:
 * <ul>
 *   <li><b>StatefulSet</b> ({@code --replicas} or {@code BERTH_REPLICAS}): the name must be
 *       {@code <statefulset>-<ordinal>}, the peers are the pods' DNS names under the headless Service, and the
 *       cluster is (namespace, StatefulSet). {@code --replicas 1} without a Service is a single member
 *       reachable at {@code localhost}.
 *   <li><b>Peer list</b> ({@code --peers} or {@code BERTH_PEERS}): the peers are listed, this member's name
 *       must be one of them, and the cluster is (namespace or {@code default}, cluster name or {@code berth}).
 * </ul>
 * A flag beats the other mode's variable; both flags, or both variables, is an error, and so is neither:
 * there is no implicit single-member cluster. Every mistake throws a {@link ConfigException} whose one-line
 * message names the setting, its value and the fix.
 *
 * <p>{@code peers} are the members the cluster is <em>created</em> with (its bootstrap voters). Once the cluster
 * exists, its membership is the Raft configuration, changed only with {@code berth member add/promote/remove};
 * a StatefulSet pod whose ordinal is beyond {@code peers} (created by scaling up) is not a bootstrap voter and
 * joins the running cluster instead.
 *
 * @param discovery   where the peers came from
 * @param self        this member
 * @param peers       the bootstrap voters, in ordinal (StatefulSet) or list ({@code --peers}) order
 * @param cluster     the cluster identity, from which the group id derives
 * @param statefulSet the StatefulSet naming scheme, or {@code null} for a {@code --peers} cluster
 */
public record MemberConfig(Discovery discovery, PeerSpec self, List<PeerSpec> peers, ClusterIdentity cluster,
    StatefulSetPeers statefulSet) {

  /** Where a member's peers came from. */
  public enum Discovery {
    /** Derived from the StatefulSet's replicas and headless Service. */
    STATEFUL_SET,
    /** Listed explicitly with {@code --peers}. */
    PEER_LIST
  }

  private static final String LOCALHOST = "localhost";

  public MemberConfig {
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(cluster, "cluster");
    peers = List.copyOf(peers);
    if (!peers.contains(self) && statefulSet == null) {
      throw new IllegalArgumentException("self " + self + " is not among the peers " + peers);
    }
    Set<String> names = new HashSet<>();
    for (PeerSpec peer : peers) {
      if (!names.add(peer.name())) {
        throw new IllegalArgumentException("peer name " + peer.name() + " appears twice in " + peers);
      }
    }
  }

  /** Resolves the options against the real process environment. */
  public static MemberConfig resolve(MemberOptions options) {
    return resolve(options, Environment.system());
  }

  /** Resolves the options against {@code env}; throws {@link ConfigException} on the first mistake. */
  public static MemberConfig resolve(MemberOptions options, Environment env) {
    Setting name = pick(options.name(), "--name", env, POD_NAME);
    if (name == null) {
      name = env.shortHostname().map(h -> new Setting(h, "the hostname")).orElseThrow(() -> new ConfigException(
          "cannot tell this member's name: pass --name or set " + POD_NAME + " to the pod name (e.g. berth-0)"));
    }
    if (options.peers() != null && options.replicas() != null) {
      throw new ConfigException("--peers and --replicas are both given; pass --replicas for a StatefulSet or"
          + " --peers for a hand-started cluster, not both");
    }
    if (options.peers() != null) {
      return fromPeerList(options, env, name, new Setting(options.peers(), "--peers"));
    }
    if (options.replicas() != null) {
      return fromStatefulSet(options, env, name, new Setting(options.replicas().toString(), "--replicas"));
    }
    Optional<String> envPeers = env.get(BERTH_PEERS);
    Optional<String> envReplicas = env.get(BERTH_REPLICAS);
    if (envPeers.isPresent() && envReplicas.isPresent()) {
      throw new ConfigException(BERTH_PEERS + " and " + BERTH_REPLICAS + " are both set; unset one, or override"
          + " with --peers or --replicas");
    }
    if (envPeers.isPresent()) {
      return fromPeerList(options, env, name, new Setting(envPeers.get(), BERTH_PEERS));
    }
    if (envReplicas.isPresent()) {
      return fromStatefulSet(options, env, name, new Setting(envReplicas.get(), BERTH_REPLICAS));
    }
    throw new ConfigException("no peers configured: in a StatefulSet pass --replicas N --service S --namespace"
        + " NS (or set " + BERTH_REPLICAS + ", " + BERTH_SERVICE + ", " + POD_NAMESPACE + "); for a hand-started"
        + " cluster pass --peers NAME=HOST:PEER_PORT:CLIENT_PORT,...; for a single member pass --replicas 1");
  }

  public MemberConfig(Discovery discovery, PeerSpec self, List<PeerSpec> peers, ClusterIdentity cluster) {
    this(discovery, self, peers, cluster, null);
  }

  /** True when this member is one of the voters the cluster is created with. */
  public boolean bootstrapVoter() {
    return peers.contains(self);
  }

  /**
   * The addresses of the pod or listed member {@code name} (a pod name, not an incarnation): derived from the
   * StatefulSet's naming for any ordinal, or looked up in the {@code --peers} list. Empty when it cannot be
   * told (another StatefulSet, or a name not in the list).
   */
  public Optional<PeerSpec> addressesOf(String name) {
    if (statefulSet != null) {
      try {
        final MemberName parsed = MemberName.parse(name, "member name");
        return parsed.statefulSet().equals(statefulSet.statefulSet())
            ? Optional.of(statefulSet.pod(parsed.ordinal())) : Optional.empty();
      } catch (ConfigException e) {
        return Optional.empty();
      }
    }
    return peers.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The Raft group id, derived from {@link #cluster()}. */
  public UUID groupId() {
    return cluster.groupId();
  }

  /** The cluster id, {@code <namespace>/<name>}. */
  public String clusterId() {
    return cluster.clusterId();
  }

  /** The peers other than this member, in order. */
  public List<PeerSpec> others() {
    return peers.stream().filter(p -> !p.equals(self)).toList();
  }

  /** The identity this member writes to its volume ({@link IdentityMarker}) at first start. */
  public MemberIdentity identity(long createdUnixMillis) {
    return MemberIdentity.newBuilder()
        .setGroupId(groupId().toString())
        .setPeerId(self.name())
        .setClusterId(clusterId())
        .setCreatedUnixMillis(createdUnixMillis)
        .build();
  }

  /** One line for the startup log: who, which cluster and group, and the peers. */
  public String describe() {
    return "member " + self.name() + " of cluster " + clusterId() + " (group " + groupId() + ", "
        + (discovery == Discovery.STATEFUL_SET ? "StatefulSet" : "peer list") + "), peers "
        + peers.stream().map(p -> p.name() + "=" + p.peerAddress()).collect(Collectors.joining(", "));
  }

  private static MemberConfig fromStatefulSet(MemberOptions options, Environment env, Setting name,
      Setting replicasSetting) {
    if (options.clusterName() != null) {
      throw new ConfigException("--cluster-name applies only to a --peers cluster; a StatefulSet cluster is"
          + " named after its StatefulSet");
    }
    MemberName member = MemberName.parse(name.value, name.source);
    int replicas = replicas(replicasSetting);
    int peerPort = port(options.peerPort(), "--peer-port", StatefulSetPeers.DEFAULT_PEER_PORT);
    int clientPort = port(options.clientPort(), "--client-port", StatefulSetPeers.DEFAULT_CLIENT_PORT);
    if (peerPort == clientPort) {
      throw new ConfigException("--peer-port and --client-port are both " + peerPort + "; give them different"
          + " ports");
    }
    Setting service = pick(options.service(), "--service", env, BERTH_SERVICE);
    Setting namespace = pick(options.namespace(), "--namespace", env, BERTH_NAMESPACE, POD_NAMESPACE);
    if (namespace != null) {
      DnsName.requireLabel(namespace.source, namespace.value);
    }
    if (service == null) {
      if (replicas != 1) {
        throw new ConfigException(replicasSetting.source + " is " + replicas + " but the headless Service that"
            + " names the pods is unknown: pass --service or set " + BERTH_SERVICE
            + " (the StatefulSet's spec.serviceName)");
      }
      if (member.ordinal() != 0) {
        throw new ConfigException("member " + member + " is not in the configured peers " + member.statefulSet()
            + "-0, and without a headless Service it cannot find them: pass --service (or set " + BERTH_SERVICE
            + ") so that it can join");
      }
      PeerSpec self = new PeerSpec(member.name(), LOCALHOST, peerPort, clientPort);
      String ns = namespace == null ? ClusterIdentity.DEFAULT_NAMESPACE : namespace.value;
      return new MemberConfig(Discovery.STATEFUL_SET, self, List.of(self),
          new ClusterIdentity(ns, member.statefulSet()));
    }
    DnsName.requireLabel(service.source, service.value);
    if (namespace == null) {
      throw new ConfigException("the namespace is unknown: pass --namespace, set " + BERTH_NAMESPACE
          + ", or set " + POD_NAMESPACE + " from the downward API (fieldRef metadata.namespace)");
    }
    Setting domain = pick(options.clusterDomain(), "--cluster-domain", env, BERTH_CLUSTER_DOMAIN);
    if (domain != null && !DnsName.isHostName(domain.value)) {
      throw new ConfigException(domain.source + " '" + domain.value + "' is not a valid DNS name (no trailing"
          + " dot); it is usually " + StatefulSetPeers.DEFAULT_CLUSTER_DOMAIN);
    }
    StatefulSetPeers statefulSet = new StatefulSetPeers(member.statefulSet(), replicas, service.value,
        namespace.value, domain == null ? StatefulSetPeers.DEFAULT_CLUSTER_DOMAIN : domain.value, peerPort,
        clientPort);
    return new MemberConfig(Discovery.STATEFUL_SET, statefulSet.self(member), statefulSet.peers(),
        new ClusterIdentity(namespace.value, member.statefulSet()), statefulSet);
  }

  private static MemberConfig fromPeerList(MemberOptions options, Environment env, Setting name,
      Setting peersSetting) {
    if (options.service() != null || options.clusterDomain() != null) {
      throw new ConfigException((options.service() != null ? "--service" : "--cluster-domain") + " applies only"
          + " with --replicas; with " + peersSetting.source + " every member is listed explicitly");
    }
    if (!DnsName.isLabel(name.value)) {
      throw new ConfigException("member name '" + name.value + "' (from " + name.source + ") is not a valid DNS"
          + " label: use lower-case letters, digits or '-', e.g. berth-0, and pass it with --name");
    }
    List<PeerSpec> peers = PeerList.parse(peersSetting.value, peersSetting.source);
    PeerSpec self = peers.stream().filter(p -> p.name().equals(name.value)).findFirst().orElseThrow(() ->
        new ConfigException("this member's name '" + name.value + "' (from " + name.source + ") is not in "
            + peersSetting.source + " (" + peers.stream().map(PeerSpec::name).collect(Collectors.joining(", "))
            + "); pass --name with one of them or add this member to the list"));
    requireAgrees(options.peerPort(), "--peer-port", self.peerPort(), "peer", self, peersSetting);
    requireAgrees(options.clientPort(), "--client-port", self.clientPort(), "client", self, peersSetting);
    Setting namespace = pick(options.namespace(), "--namespace", env, BERTH_NAMESPACE, POD_NAMESPACE);
    if (namespace != null) {
      DnsName.requireLabel(namespace.source, namespace.value);
    }
    String clusterName = options.clusterName() == null ? ClusterIdentity.DEFAULT_NAME : options.clusterName();
    DnsName.requireLabel("cluster name", clusterName);
    ClusterIdentity cluster = new ClusterIdentity(
        namespace == null ? ClusterIdentity.DEFAULT_NAMESPACE : namespace.value, clusterName);
    return new MemberConfig(Discovery.PEER_LIST, self, peers, cluster);
  }

  private static void requireAgrees(Integer flag, String flagName, int listed, String which, PeerSpec self,
      Setting peersSetting) {
    if (flag != null && flag != listed) {
      throw new ConfigException(flagName + " " + flag + " disagrees with the " + peersSetting.source + " entry"
          + " for " + self.name() + " (" + which + " port " + listed + "); drop " + flagName + " or fix the entry");
    }
  }

  private static int replicas(Setting setting) {
    int replicas;
    try {
      replicas = Integer.parseInt(setting.value);
    } catch (NumberFormatException e) {
      throw new ConfigException(setting.source + " '" + setting.value + "' is not a number; set it to the"
          + " StatefulSet's spec.replicas");
    }
    if (replicas < 1) {
      throw new ConfigException(setting.source + " is " + replicas + "; a cluster needs at least 1 member: set it"
          + " to the StatefulSet's spec.replicas");
    }
    return replicas;
  }

  private static int port(Integer flag, String flagName, int defaultPort) {
    if (flag == null) {
      return defaultPort;
    }
    if (!PeerSpec.isPort(flag)) {
      throw new ConfigException(flagName + " " + flag + " is outside 1..65535");
    }
    return flag;
  }

  /** The first of: the flag as given, then each variable that is set and not blank; {@code null} if none. */
  private static Setting pick(String flag, String flagName, Environment env, String... variables) {
    if (flag != null) {
      return new Setting(flag.strip(), flagName);
    }
    for (String variable : variables) {
      Optional<String> value = env.get(variable);
      if (value.isPresent()) {
        return new Setting(value.get(), variable);
      }
    }
    return null;
  }

  /** A setting's value and where it came from, for error messages. */
  private record Setting(String value, String source) {}
}
