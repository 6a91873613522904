package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.Membership;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth member list|add|promote|remove}: the Raft configuration, changed only explicitly. */
@Command(
    name = "member",
    mixinStandardHelpOptions = true,
    description = {
        "Lists and changes the Raft membership.",
        "Membership changes only through these commands (or a member started with --join auto asking for "
            + "itself), never because a pod stopped or started. A new member joins as a non-voting listener, "
            + "catches up (by snapshot when needed), and votes only once promoted. A change that would leave "
            + "fewer than a majority of the voters live, remove a majority or the last voter is refused."},
    footer = {
        "",
        "Scale up: raise replicas; each new pod asks to join (or, with --join manual, run `member add` and "
            + "`member promote`). Scale down: `member remove` the highest ordinals first, then lower replicas.",
        "Exit codes: 0 done, 1 refused or unknown member (the message says why), 2 usage error, 3 cluster "
            + "unavailable."},
    subcommands = {MemberCommand.ListMembers.class, MemberCommand.AddMember.class,
        MemberCommand.PromoteMember.class, MemberCommand.RemoveMember.class})
public final class MemberCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "give a subcommand: list, add, promote or remove (see berth member --help)");
  }

  /** The JSON shape of a configuration. */
  record Json(String leader, long configIndex, List<MemberJson> members, String answeredBy) {
    static Json of(Membership m) {
      return new Json(m.leader().orElse(null), m.configIndex(), m.members().stream().map(MemberJson::of).toList(),
          m.member());
    }
  }

  record MemberJson(String name, String pod, String role, String raftAddress, String clientAddress,
      boolean leader, long commitIndex, long lag, boolean live) {
    static MemberJson of(Membership.Member m) {
      return new MemberJson(m.name(), m.pod(), m.role().name(), m.raftAddress(), m.clientAddress(), m.leader(),
          m.commitIndex(), m.lag(), m.live());
    }
  }

  static void print(Printer printer, String done, Membership m) {
    if (printer.isJson()) {
      printer.json(Json.of(m));
      return;
    }
    if (done != null) {
      printer.line(done);
    }
    printer.line("leader: " + m.leader().orElse("(none)") + "  configuration index: " + m.configIndex()
        + "  (answered by " + m.member() + ")");
    printer.table(List.of("NAME", "POD", "ROLE", "RAFT", "CLIENT", "COMMIT", "LAG", "LIVE"),
        m.members().stream().map(x -> List.of(x.name() + (x.leader() ? " *" : ""), x.pod(), x.role().name(),
            x.raftAddress(), x.clientAddress(), Long.toString(x.commitIndex()), Long.toString(x.lag()),
            Boolean.toString(x.live()))).toList());
  }

  /** Options shared by the changing subcommands. */
  static final class Changing {
    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
        description = "How long the change may take on the server: adding waits for the new member to catch "
            + "up before the change commits, promoting waits for it to be within 200 entries of the leader "
            + "(default ${DEFAULT-VALUE}).")
    Duration wait;
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"Lists the voters and listeners with their progress.",
          "Asked of the leader (through any member): each member's commit index as last reported, how far it "
              + "is behind (LAG, in log entries) and whether the leader heard from it within the election "
              + "timeout (LIVE). The leader is marked with *."},
      footer = {"", "With -o json {\"leader\", \"configIndex\", \"members\":[{\"name\", \"pod\", \"role\", "
          + "\"raftAddress\", \"clientAddress\", \"leader\", \"commitIndex\", \"lag\", \"live\"}], \"answeredBy\"}."})
  static final class ListMembers implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      try (BerthClient c = client.connect()) {
        print(output.printer(spec), null, c.members());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Adds a running member as a non-voting listener.",
          "NAME is a pod name (berth-3). The pod must be running and waiting to join (a pod beyond the "
              + "configuration, or one back on an empty volume, started with --join manual). If the "
              + "configuration holds an earlier incarnation of the same pod (it lost its volume), that one is "
              + "removed in the same change. Returns once the listener has caught up and the change committed."})
  static final class AddMember implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;
    @Mixin
    Changing changing;
    @Parameters(paramLabel = "NAME", description = "The pod to add, e.g. berth-3.")
    String name;

    @Override
    public Integer call() {
      try (BerthClient c = client.connect(changing.wait, client.timeout)) {
        print(output.printer(spec), "added " + name + " as a listener; promote it with `berth member promote "
            + name + "`", c.addMember(name));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = {"Makes a listener a voter once it has caught up.",
          "Waits (up to --wait) until the listener is live and within 200 log entries of the leader, then "
              + "changes the configuration."})
  static final class PromoteMember implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;
    @Mixin
    Changing changing;
    @Parameters(paramLabel = "NAME", description = "The listener, by pod name or peer id.")
    String name;

    @Override
    public Integer call() {
      try (BerthClient c = client.connect(changing.wait.plusSeconds(5), client.timeout)) {
        print(output.printer(spec), "promoted " + name + " to voter", c.promoteMember(name,
            changing.wait.toMillis()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Removes members from the configuration.",
          "All NAMEs go in one configuration change. Refused when it would remove the last voter, a majority of "
              + "the voters, or leave fewer than a majority of the remaining voters live. Removing the leader "
              + "first hands leadership to the most caught-up remaining voter. The removed pods keep running "
              + "until you delete them (scale down); they no longer count toward any majority."})
  static final class RemoveMember implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions client;
    @Mixin
    OutputOptions output;
    @Mixin
    Changing changing;
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "The members, by pod name or peer id.")
    List<String> names;

    @Override
    public Integer call() {
      try (BerthClient c = client.connect(changing.wait, client.timeout)) {
        print(output.printer(spec), "removed " + String.join(", ", names), c.removeMembers(names));
      }
      return ExitCodes.OK;
    }
  }
}
