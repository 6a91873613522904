package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import io.berth.client.MemberStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth status [-o json]}: every member's role, addresses, indexes and health. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Shows the cluster's leader, term and members.",
        "Shows the leader, the term, how long ago the leader was elected, and every member's role, "
            + "addresses, commit and applied index, lag (the leader's commit index minus the member's applied "
            + "index: entries it has yet to apply) and health, as seen by the member that answers (it asks the others; one that does not answer is "
            + "listed as UNKNOWN and unhealthy). Works without a leader."},
    footer = {
        "",
        "Output: the leader, term and time since the election, then a table NAME ROLE RAFT CLIENT COMMIT "
            + "APPLIED LAG IN-ROLE HEALTHY (IN-ROLE: time since the member's role last changed). With -o json "
            + "{\"leader\", \"term\", \"members\":[{\"name\", \"role\", \"raftAddress\", "
            + "\"clientAddress\", \"commitIndex\", \"appliedIndex\", \"healthy\", \"term\", \"leader\", "
            + "\"revision\", \"roleElapsedMs\", \"lag\"}]}; leader is null when there is none, lag when no member "
            + "reports itself leader; the leader's roleElapsedMs is the time since its election.",
        "Exit codes: 0 answered (even if some members are unhealthy), 2 usage error, 3 cluster unavailable."})
public final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  @Mixin
  OutputOptions output;

  /** The shape DESIGN.md fixes: leader, term, members. */
  record Json(String leader, long term, List<MemberJson> members) {}

  record MemberJson(String name, String role, String raftAddress, String clientAddress, long commitIndex,
      long appliedIndex, boolean healthy, long term, String leader, long revision, long roleElapsedMs, Long lag) {
    static MemberJson of(MemberStatus m, Optional<MemberStatus> leader) {
      return new MemberJson(m.name(), m.role().name(), m.raftAddress(), m.clientAddress(), m.commitIndex(),
          m.appliedIndex(), m.healthy(), m.term(), m.leader().orElse(null), m.revision(), m.roleElapsedMs(),
          StatusCommand.lag(m, leader).orElse(null));
    }
  }

  /** The member that reports itself leader in the highest term, if any answered. */
  static Optional<MemberStatus> leader(ClusterStatus status) {
    return status.members().stream().filter(m -> m.role() == MemberStatus.Role.LEADER && m.healthy())
        .max(Comparator.comparingLong(MemberStatus::term));
  }

  /** Entries the member has yet to apply: the leader's commit index minus its applied index (never negative). */
  static Optional<Long> lag(MemberStatus m, Optional<MemberStatus> leader) {
    if (!m.healthy()) {
      return Optional.empty();
    }
    return leader.map(l -> Math.max(0, l.commitIndex() - m.appliedIndex()));
  }

  /** A duration for people: 850ms, 12.3s, 4m05s, 3h12m, 2d04h. */
  static String age(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    final long s = millis / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }

  @Override
  public Integer call() {
    try (BerthClient c = client.connect()) {
      final ClusterStatus status = c.status();
      final Printer printer = output.printer(spec);
      final Optional<MemberStatus> leader = leader(status);
      if (printer.isJson()) {
        printer.json(new Json(status.leader().orElse(null), status.term(),
            status.members().stream().map(m -> MemberJson.of(m, leader)).toList()));
        return ExitCodes.OK;
      }
      printer.line("leader: " + status.leader().orElse("(none)") + "  term: " + status.term()
          + leader.map(l -> "  elected " + age(l.roleElapsedMs()) + " ago").orElse("")
          + "  (answered by " + status.member() + ")");
      printer.table(List.of("NAME", "ROLE", "RAFT", "CLIENT", "COMMIT", "APPLIED", "LAG", "IN-ROLE", "HEALTHY"),
          status.members().stream().map(m -> List.of(m.name(), m.role().name(), m.raftAddress(),
              m.clientAddress(), Long.toString(m.commitIndex()), Long.toString(m.appliedIndex()),
              lag(m, leader).map(String::valueOf).orElse("-"), m.healthy() ? age(m.roleElapsedMs()) : "-",
              Boolean.toString(m.healthy()))).toList());
    }
    return ExitCodes.OK;
  }
}
