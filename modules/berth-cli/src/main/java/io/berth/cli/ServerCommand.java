package io.berth.cli;

import io.berth.server.BerthServer;
import io.berth.server.JoinMode;
import io.berth.server.api.Limits;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.MemberOptions;
import io.berth.server.raft.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth server}: runs one member until SIGTERM/SIGINT. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs one Berth member until it receives SIGTERM or SIGINT (a leader hands leadership over first).",
        "",
        "Peers come either from the StatefulSet (--replicas/--service/--namespace/--cluster-domain: member i is",
        "<sts>-<i>.<service>.<namespace>.svc.<domain>) or from an explicit --peers list for hand-started clusters.",
        "Every option also reads an environment variable, as in the Kubernetes manifest."},
    footer = {"",
        "Example, three members by hand on one machine:",
        "  berth server --name berth-0 --data-dir /tmp/b0 \\",
        "    --peers berth-0=127.0.0.1:7380:7379,berth-1=127.0.0.1:7390:7389,berth-2=127.0.0.1:7400:7399"})
public final class ServerCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", required = true, defaultValue = "${env:BERTH_DATA_DIR}",
      description = "The member's volume: identity marker, database and Raft log (env BERTH_DATA_DIR).")
  Path dataDir;

  @Option(names = "--name", description = "Member name <sts>-<ordinal> (env POD_NAME, else the host name).")
  String name;

  @Option(names = "--client-port", description = "Client gRPC port (default 7379).")
  Integer clientPort;

  @Option(names = "--peer-port", description = "Raft peer port (default 7380).")
  Integer peerPort;

  @Option(names = "--admin-port", defaultValue = "${env:BERTH_ADMIN_PORT:-7381}",
      description = "Admin HTTP port: /healthz, /readyz (default ${DEFAULT-VALUE}; -1 disables it).")
  int adminPort;

  @Option(names = "--max-value-bytes", defaultValue = "${env:BERTH_MAX_VALUE_BYTES:-1048576}",
      description = "Largest value a client may write (default ${DEFAULT-VALUE} = 1 MiB).")
  int maxValueBytes;

  @Option(names = "--peers", paramLabel = "NAME=HOST:PEER_PORT:CLIENT_PORT,...",
      description = "Explicit member list for a hand-started cluster (env BERTH_PEERS).")
  String peers;

  @Option(names = "--cluster-name", description = "Name of a --peers cluster (default berth); keeps the group ids "
      + "of two hand-started clusters apart.")
  String clusterName;

  @Option(names = "--replicas", description = "StatefulSet replicas (env BERTH_REPLICAS).")
  Integer replicas;

  @Option(names = "--service", description = "Headless Service name (env BERTH_SERVICE).")
  String service;

  @Option(names = "--namespace", description = "Namespace (env BERTH_NAMESPACE, else POD_NAMESPACE).")
  String namespace;

  @Option(names = "--cluster-domain", description = "Cluster DNS domain (env BERTH_CLUSTER_DOMAIN, default "
      + "cluster.local).")
  String clusterDomain;

  @Option(names = "--bind-address", defaultValue = "${env:BERTH_BIND_ADDRESS:-0.0.0.0}",
      description = "Address the ports listen on (default ${DEFAULT-VALUE}: all).")
  String bindAddress;

  @Option(names = "--election-timeout", paramLabel = "MIN_MS:MAX_MS",
      defaultValue = "${env:BERTH_ELECTION_TIMEOUT:-1000:2000}",
      description = "Randomized Raft election timeout in milliseconds (default ${DEFAULT-VALUE}).")
  String electionTimeout;

  @Option(names = "--snapshot-threshold", defaultValue = "${env:BERTH_SNAPSHOT_THRESHOLD:-100000}",
      description = "Take a snapshot (and purge the log) every this many entries (default ${DEFAULT-VALUE}).")
  long snapshotThreshold;

  @Option(names = "--batch-in-flight", paramLabel = "N", defaultValue = "${env:BERTH_BATCH_IN_FLIGHT:-2}",
      description = {"Raft requests this member keeps outstanding for its clients' writes (and as many for "
          + "linearizable reads); requests that arrive meanwhile are replicated together as one log entry "
          + "(default ${DEFAULT-VALUE}). A lone request never waits."})
  int batchInFlight;

  @Option(names = "--batch-max", paramLabel = "N", defaultValue = "${env:BERTH_BATCH_MAX:-256}",
      description = "Client requests in one batch at most (default ${DEFAULT-VALUE}).")
  int batchMax;

  @Option(names = "--join", paramLabel = "auto|manual", defaultValue = "${env:BERTH_JOIN:-auto}",
      converter = JoinModeConverter.class,
      description = {"What a member outside the Raft configuration does (a pod created by scaling up, or one "
          + "back on an empty volume as a new incarnation): auto asks the leader to add it as a listener and to "
          + "promote it once caught up; manual waits for `berth member add` and `berth member promote` "
          + "(env BERTH_JOIN, default ${DEFAULT-VALUE})."})
  JoinMode join;

  /** Accepts auto and manual in any case. */
  static final class JoinModeConverter implements picocli.CommandLine.ITypeConverter<JoinMode> {
    @Override
    public JoinMode convert(String value) {
      try {
        return JoinMode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not auto or manual");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    final MemberConfig member = MemberConfig.resolve(MemberOptions.builder()
        .name(name).peers(peers).replicas(replicas).service(service).namespace(namespace)
        .clusterDomain(clusterDomain).peerPort(peerPort).clientPort(clientPort).clusterName(clusterName)
        .build());
    final RaftSettings defaults = RaftSettings.defaults();
    final RaftSettings raft = withElectionTimeout(defaults, electionTimeout)
        .withSnapshots(snapshotThreshold, Math.min(defaults.logPreserved(), snapshotThreshold),
            defaults.segmentSizeMaxBytes())
        .withBatching(batchInFlight, batchMax);
    final BerthServer server = BerthServer.start(BerthServer.Options.of(member, dataDir)
        .withBindHost(bindAddress).withRaft(raft).withAdminPort(adminPort)
        .withLimits(new Limits(Limits.DEFAULT_MAX_KEY_BYTES, maxValueBytes)).withJoin(join));
    // SIGTERM/SIGINT: stop gracefully (a leader hands over first), then exit 0 rather than the JVM's 143, so a
    // planned stop does not look like a failure to kubectl or systemd. A stop that failed exits 1.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = ExitCodes.OK;
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("berth server: error while stopping: " + e);
        status = ExitCodes.NOT_FOUND_OR_FAILED;
      }
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(status);
    }, "berth-shutdown"));
    spec.commandLine().getOut().printf("berth server: %s serving (raft %s, client %s, admin %d); data in %s%n",
        member.self().name(), member.self().peerAddress(), member.self().clientAddress(), server.adminPort(),
        dataDir);
    spec.commandLine().getOut().flush();
    server.awaitTermination();
    return ExitCodes.OK;
  }

  static RaftSettings withElectionTimeout(RaftSettings base, String spec) {
    final String[] parts = spec.split(":");
    try {
      if (parts.length == 2) {
        return base.withElectionTimeout(Duration.ofMillis(Long.parseLong(parts[0].trim())),
            Duration.ofMillis(Long.parseLong(parts[1].trim())));
      }
    } catch (NumberFormatException e) {
      // fall through to the usage error
    }
    throw new IllegalArgumentException("--election-timeout must be MIN_MS:MAX_MS (for example 1000:2000), got '"
        + spec + "'");
  }
}
