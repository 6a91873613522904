package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.ClusterStatus;
import io.berth.client.MemberStatus;
import java.util.List;
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
        "Shows the leader, the term and every member's role, addresses, commit and applied index and "
            + "health, as seen by the member that answers (it asks the others; one that does not answer is "
            + "listed as UNKNOWN and unhealthy). Works without a leader."},
    footer = {
        "",
        "Output: the leader and term, then a table NAME ROLE RAFT CLIENT COMMIT APPLIED HEALTHY. With -o "
            + "json "
            + "{\"leader\", \"term\", \"members\":[{\"name\", \"role\", \"raftAddress\", \"clientAddress\", \"commitIndex\", "
            + "\"appliedIndex\", \"healthy\", \"term\", \"leader\", \"revision\", \"roleElapsedMs\"}]}; leader is "
            + "null when there is none.",
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
      long appliedIndex, boolean healthy, long term, String leader, long revision, long roleElapsedMs) {
    static MemberJson of(MemberStatus m) {
      return new MemberJson(m.name(), m.role().name(), m.raftAddress(), m.clientAddress(), m.commitIndex(),
          m.appliedIndex(), m.healthy(), m.term(), m.leader().orElse(null), m.revision(), m.roleElapsedMs());
    }
  }

  @Override
  public Integer call() {
    try (BerthClient c = client.connect()) {
      final ClusterStatus status = c.status();
      final Printer printer = output.printer(spec);
      if (printer.isJson()) {
        printer.json(new Json(status.leader().orElse(null), status.term(),
            status.members().stream().map(MemberJson::of).toList()));
        return ExitCodes.OK;
      }
      printer.line("leader: " + status.leader().orElse("(none)") + "  term: " + status.term()
          + "  (answered by " + status.member() + ")");
      printer.table(List.of("NAME", "ROLE", "RAFT", "CLIENT", "COMMIT", "APPLIED", "HEALTHY"),
          status.members().stream().map(m -> List.of(m.name(), m.role().name(), m.raftAddress(),
              m.clientAddress(), Long.toString(m.commitIndex()), Long.toString(m.appliedIndex()),
              Boolean.toString(m.healthy()))).toList());
    }
    return ExitCodes.OK;
  }
}
