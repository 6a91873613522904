package io.berth.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.berth.client.BerthClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * The options every client command shares (a picocli mixin): where the cluster is and how long to try.
 * {@link #connect()} turns them into a {@link BerthClient}; a bad {@code --endpoints} is a usage error.
 */
public final class ClientOptions {
  /** One attempt against one member gives up after this long (or sooner, when --timeout is shorter). */
  static final Duration MAX_ATTEMPT = Duration.ofSeconds(5);
  /**
   * gRPC's client channel logs every failed name resolution as a multi-line WARNING with a stack trace; a
   * command reports the failure itself, on one line. Held here so the level sticks (JUL keeps weak refs).
   */
  private static final Logger CHANNEL_LOG = Logger.getLogger("io.grpc.internal.ManagedChannelImpl");

  @Option(names = "--endpoints", paramLabel = "H:P[,H:P...]",
      defaultValue = "${env:BERTH_ENDPOINTS:-127.0.0.1:7379}",
      description = "Members' client addresses; any member answers, the others are failover targets "
          + "(env BERTH_ENDPOINTS, default 127.0.0.1:7379).")
  String endpoints;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long the command may take, failover and retries included; one attempt on one member "
          + "gives up after 5s or this, whichever is shorter (e.g. 500ms, 10s, 1m; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /**
   * The endpoints in effect: this command's {@code --endpoints} if given, else the global one given before the
   * command name ({@code berth --endpoints H:P get k}), else {@code BERTH_ENDPOINTS}, else the default.
   */
  String effectiveEndpoints() {
    final boolean own = mixee != null && mixee.commandLine() != null && mixee.commandLine().getParseResult() != null
        && mixee.commandLine().getParseResult().hasMatchedOption("--endpoints");
    if (!own && mixee != null && mixee.parent() != null
        && mixee.parent().userObject() instanceof BerthCommand top && top.endpoints != null) {
      return top.endpoints;
    }
    return endpoints;
  }

  /** A client for {@code --endpoints}; it connects lazily, so an unreachable cluster shows at the first call. */
  BerthClient connect() {
    return connect(timeout.compareTo(MAX_ATTEMPT) < 0 ? timeout : MAX_ATTEMPT, timeout);
  }

  /**
   * As {@link #connect()}, for calls that may legitimately take long on the server (a membership change waits
   * for a member to catch up): one attempt may take {@code attempt}, and the retry budget is at least that.
   */
  BerthClient connect(Duration attempt, Duration budget) {
    CHANNEL_LOG.setLevel(Level.SEVERE);
    final List<String> list = Arrays.stream(effectiveEndpoints().split(",")).map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
    if (list.isEmpty()) {
      throw new CliException(ExitCodes.USAGE,
          "--endpoints is empty: give HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:7379 (or set BERTH_ENDPOINTS)");
    }
    try {
      return BerthClient.builder().endpoints(list)
          .requestTimeout(attempt)
          .retryBudget(budget.compareTo(attempt) < 0 ? attempt : budget)
          .build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--endpoints: " + e.getMessage());
    }
  }
}
