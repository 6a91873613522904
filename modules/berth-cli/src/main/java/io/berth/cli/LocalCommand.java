package io.berth.cli;

import io.berth.client.BerthClient;
import io.berth.client.Membership;
import io.berth.testkit.local.LocalController;
import io.berth.testkit.local.LocalControllerClient;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.LocalControllerClient.View;
import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.Orphans;
import io.berth.testkit.local.PodCommand;
import io.berth.testkit.local.PodNetwork;
import io.berth.testkit.local.PodStatus;
import io.berth.testkit.local.StatefulSetSpec;
import io.berth.testkit.local.StatefulSetSpec.PodManagementPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
        "Runs the project's StatefulSet on this machine (a local emulator of Kubernetes).",
        "Each pod is a real 'berth server' process started as the manifest (k8s/base) says, with its own pod IP "
            + "on loopback (127.a.b.x, a new one whenever it is rescheduled), its per-pod DNS name "
            + "<pod>.<service>.<namespace>.svc.cluster.local served through an emulated hosts file, and a volume "
            + "directory <claim>-<pod> that outlives it. Crashed pods are restarted (restart policy Always); "
            + "probes use the gRPC health services. A controller process started by 'up' owns the pods until "
            + "'down'; every other command talks to it, so separate invocations work on the same cluster."},
    subcommands = {LocalCommand.Up.class, LocalCommand.Status.class, LocalCommand.Endpoints.class,
        LocalCommand.Delete.class, LocalCommand.Kill.class, LocalCommand.Start.class, LocalCommand.Pause.class,
        LocalCommand.Resume.class, LocalCommand.Scale.class, LocalCommand.RolloutRestart.class,
        LocalCommand.DeleteVolume.class, LocalCommand.Partition.class, LocalCommand.Heal.class,
        LocalCommand.Logs.class, LocalCommand.Down.class,
        LocalCommand.Controller.class},
    footer = {"", "Example: berth local up && berth --endpoints $(berth local endpoints) put greeting hello"})
public final class LocalCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --dir}: where one emulated cluster keeps its state. */
  static final class DirOption {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:BERTH_LOCAL_DIR:-.berth-local}",
        description = "The emulated cluster's state, volumes and logs (env BERTH_LOCAL_DIR, default .berth-local).")
    Path dir;

    Path abs() {
      return dir.toAbsolutePath().normalize();
    }

    LocalControllerClient controller() {
      return LocalControllerClient.find(abs()).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND_OR_FAILED,
          "no local cluster is running under " + abs() + " (start one with 'berth local up')"));
    }
  }

  /** Shared by the commands that change the cluster: run, show progress, print the result. */
  abstract static class Operation implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Mixin
    OutputOptions output;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "300s",
        converter = DurationConverter.class,
        description = "How long to wait for pods to turn Ready (default 300s).")
    Duration timeout;

    abstract String op();

    Map<String, String> params() {
      return new LinkedHashMap<>();
    }

    @Override
    public Integer call() {
      final LocalControllerClient controller = dir.controller();
      final Map<String, String> params = params();
      params.put("timeoutSeconds", Long.toString(timeout.toSeconds()));
      final View view = withEvents(spec, dir.abs(), output, () -> controller.post(op(), params));
      print(spec, output, view);
      return ExitCodes.OK;
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Creates the StatefulSet's pods and waits until they are Ready.",
          "Starts a controller process in the background that owns the pods until 'berth local down'. "
              + "With podManagementPolicy OrderedReady pods are created one at a time, each after the previous "
              + "one is Ready; with Parallel (the manifest's choice) all at once."})
  static final class Up implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Mixin
    OutputOptions output;

    @Mixin
    ManifestsOption manifests;

    @Option(names = "--replicas", description = "Overrides spec.replicas.")
    Integer replicas;

    @Option(names = "--pod-management-policy", paramLabel = "POLICY",
        description = "Overrides spec.podManagementPolicy: ${COMPLETION-CANDIDATES}.")
    PodManagementPolicy policy;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "300s",
        converter = DurationConverter.class,
        description = "How long to wait for every pod to turn Ready (default 300s).")
    Duration timeout;

    @Option(names = "--network", defaultValue = "loopback", paramLabel = "MODE",
        description = "loopback: pod IPs 127.a.b.x on this host's loopback (default; no root needed). "
            + "namespaces: each pod in its own network namespace on a bridge (10.a.b.x), so 'berth local "
            + "partition' can cut traffic between pods; needs root, iproute2 and iptables.")
    String network;

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (!network.equals("loopback") && !network.equals("namespaces")) {
        throw new CliException(ExitCodes.USAGE, "--network must be loopback or namespaces, not " + network);
      }
      final Path d = dir.abs();
      final Optional<LocalControllerClient> running = LocalControllerClient.find(d);
      if (running.isPresent()) {
        throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "a local cluster is already up under " + d
            + " (controller pid " + running.get().pid() + "); 'berth local status' shows it, 'berth local down' "
            + "stops it");
      }
      final List<ProcessHandle> orphans = Orphans.find(d);
      if (!orphans.isEmpty()) {
        throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "pods of an earlier run still run under " + d
            + " (pids " + orphans.stream().map(p -> Long.toString(p.pid())).toList()
            + "); stop them with 'berth local down'");
      }
      if (replicas != null && replicas < 1) {
        throw new CliException(ExitCodes.USAGE, "--replicas must be at least 1: " + replicas);
      }
      // Fail here, with the manifest's own error, rather than in the background controller.
      final StatefulSetSpec sts = manifests.load();
      Files.createDirectories(d);
      final List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid"); // its own session: a Ctrl-C in this terminal does not reach the controller
      }
      final PodCommand self = PodCommand.current();
      cmd.addAll(List.of(self.java().toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      Optional.ofNullable(System.getProperty("berth.home")).ifPresent(h -> cmd.add("-Dberth.home=" + h));
      cmd.addAll(List.of("-cp", self.classPath(), self.mainClass(), "local", "controller", "--dir", d.toString(),
          "--manifests-source", manifests.given()));
      if (replicas != null) {
        cmd.addAll(List.of("--replicas", replicas.toString()));
      }
      if (policy != null) {
        cmd.addAll(List.of("--pod-management-policy", policy.name()));
      }
      cmd.addAll(List.of("--network", network));
      Files.deleteIfExists(d.resolve(LocalController.CONTROLLER_FILE));
      final Process controller = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("controller.log").toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .start();
      final PrintWriter out = spec.commandLine().getOut();
      if (!output.isJson()) {
        out.println("statefulset/" + sts.name() + ": starting the controller (log " + d.resolve("controller.log")
            + ")");
        out.flush();
      }
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Optional<LocalControllerClient> client = Optional.empty();
      while (client.isEmpty()) {
        if (!controller.isAlive() && LocalControllerClient.find(d).isEmpty()) {
          throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "the controller exited with status "
              + controller.exitValue() + ": " + lastLine(d.resolve("controller.log")));
        }
        if (System.nanoTime() > deadline) {
          controller.destroyForcibly();
          throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "the controller did not start within 60 s (see "
              + d.resolve("controller.log") + ")");
        }
        Thread.sleep(100);
        client = LocalControllerClient.find(d);
      }
      final LocalControllerClient c = client.get();
      final View view = withEvents(spec, d, output,
          () -> c.post("up", Map.of("timeoutSeconds", Long.toString(timeout.toSeconds()))));
      print(spec, output, view);
      if (!output.isJson()) {
        out.println("Try: berth --endpoints " + String.join(",", view.endpoints()) + " status");
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Lists the pods: name, IP, PID, phase, readiness, Raft role, restarts and volume.",
      footer = {"", "With -o json: {\"statefulSet\", \"namespace\", \"replicas\", \"podManagementPolicy\", "
          + "\"manifests\", \"network\", \"partition\", "
          + "\"hostsFile\", \"endpoints\", \"pods\": [{\"name\", \"ordinal\", \"ip\", \"pid\", \"volume\", \"phase\", "
          + "\"ready\", \"paused\", \"role\", \"restarts\"}]}."})
  static final class Status implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      print(spec, output, dir.controller().status());
      return ExitCodes.OK;
    }
  }

  @Command(name = "endpoints", mixinStandardHelpOptions = true,
      description = "Prints the pods' client addresses, comma-separated, for --endpoints.")
  static final class Endpoints implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(String.join(",", dir.controller().status().endpoints()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {"Deletes a pod; the StatefulSet reschedules it.",
          "SIGTERM, then SIGKILL after the grace period; the pod comes back with the same name and volume and a new "
              + "IP."})
  static final class Delete extends PodOperation {
    @Option(names = "--grace-period", paramLabel = "SECONDS",
        description = "Seconds between SIGTERM and SIGKILL (default: the manifest's terminationGracePeriodSeconds).")
    Long grace;

    @Override
    String op() {
      return "delete";
    }

    @Override
    Map<String, String> params() {
      final Map<String, String> p = super.params();
      if (grace != null) {
        p.put("graceSeconds", grace.toString());
      }
      return p;
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true,
      description = {"Crashes a pod's container with SIGKILL.",
          "Restart policy Always brings it back in the same pod (same IP) unless --no-restart."})
  static final class Kill extends PodOperation {
    @Option(names = "--no-restart", description = "Keep it down until 'berth local start POD'.")
    boolean noRestart;

    @Override
    String op() {
      return "kill";
    }

    @Override
    Map<String, String> params() {
      final Map<String, String> p = super.params();
      p.put("restart", Boolean.toString(!noRestart));
      return p;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Starts again a pod killed with --no-restart.")
  static final class Start extends PodOperation {
    @Override
    String op() {
      return "start";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Freezes a pod with SIGSTOP (it keeps its sockets and answers nothing).")
  static final class Pause extends PodOperation {
    @Override
    String op() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused pod with SIGCONT.")
  static final class Resume extends PodOperation {
    @Override
    String op() {
      return "resume";
    }
  }

  /** An operation on one pod named by the only parameter. */
  abstract static class PodOperation extends Operation {
    @Parameters(paramLabel = "POD", description = "The pod, e.g. berth-1.")
    String pod;

    @Override
    Map<String, String> params() {
      final Map<String, String> p = super.params();
      p.put("pod", pod);
      return p;
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true,
      description = {"Changes the number of pods.",
          "New ordinals are created, the highest ordinals deleted first; volumes of removed pods stay. This "
              + "changes pods only, never the Raft membership: new pods ask to join by themselves (--join auto), "
              + "and scaling down is refused while a pod to be deleted is still a member; remove it first with "
              + "`berth member remove` (or pass --force to delete it anyway, as `kubectl scale` would)."})
  static final class Scale extends Operation {
    @Parameters(paramLabel = "REPLICAS", description = "The new replica count.")
    int replicas;

    @Option(names = "--force", description = "Scale down even if pods to be deleted are still Raft members.")
    boolean force;

    @Override
    String op() {
      return "scale";
    }

    @Override
    Map<String, String> params() {
      if (replicas < 0) {
        throw new CliException(ExitCodes.USAGE, "REPLICAS must be >= 0: " + replicas);
      }
      if (!force) {
        refuseScalingAwayMembers(dir.controller().status().endpoints(), replicas);
      }
      final Map<String, String> p = super.params();
      p.put("replicas", Integer.toString(replicas));
      return p;
    }
  }

  /**
   * Refuses a scale-down that would delete pods still in the Raft configuration: each would remain a voter
   * that never answers, so the cluster would tolerate one failure fewer, silently.
   */
  static void refuseScalingAwayMembers(List<String> endpoints, int replicas) {
    if (endpoints.isEmpty()) {
      return;
    }
    final Membership members;
    try (BerthClient client = BerthClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(5)).retryBudget(Duration.ofSeconds(10)).build()) {
      members = client.members();
    }
    final List<String> doomed = members.members().stream()
        .filter(m -> ordinal(m.pod()) >= replicas)
        .map(m -> m.name() + " (" + m.role().name().toLowerCase(java.util.Locale.ROOT) + ")").toList();
    if (!doomed.isEmpty()) {
      throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "refusing to scale to " + replicas + ": "
          + String.join(", ", doomed) + " would be deleted while still in the Raft configuration, leaving members "
          + "that never answer but still count toward the majority; run `berth member remove "
          + members.members().stream().filter(m -> ordinal(m.pod()) >= replicas)
              .map(Membership.Member::name).collect(java.util.stream.Collectors.joining(" "))
          + "` first, or pass --force");
    }
  }

  private static int ordinal(String pod) {
    try {
      return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  @Command(name = "rollout-restart", mixinStandardHelpOptions = true,
      description = {"Restarts every pod as a rolling update does.",
          "Highest ordinal first; each pod is deleted gracefully, rescheduled, and must be Ready for "
              + "minReadySeconds before the next one goes."})
  static final class RolloutRestart extends Operation {
    @Override
    String op() {
      return "rollout-restart";
    }
  }

  @Command(name = "delete-volume", mixinStandardHelpOptions = true,
      description = {"Loses a pod's volume: deletes the pod and its volumes, then recreates it on empty ones.",
          "What happens when a member's disk is lost or its PVC deleted."})
  static final class DeleteVolume extends PodOperation {
    @Override
    String op() {
      return "delete-volume";
    }
  }

  @Command(name = "partition", mixinStandardHelpOptions = true,
      description = {"Cuts the pod network into groups that cannot reach each other.",
          "Each GROUP is a comma-separated list of pods; pods in the same group can talk, others cannot (both "
              + "directions). A pod named in two groups is a bridge between them. Replaces any earlier "
              + "partition and follows rescheduled pods to their new IPs until 'berth local heal'. Needs "
              + "'berth local up --network namespaces'."},
      footer = {"", "Example: berth local partition berth-0 berth-1,berth-2   (isolate berth-0)"})
  static final class Partition extends Operation {
    @Parameters(paramLabel = "GROUP", arity = "2..*", description = "Pods that can still reach each other.")
    List<String> groups;

    @Override
    String op() {
      return "partition";
    }

    @Override
    Map<String, String> params() {
      final Map<String, String> p = super.params();
      p.put("components", String.join(";", groups));
      return p;
    }
  }

  @Command(name = "heal", mixinStandardHelpOptions = true, description = "Lifts the network partition.")
  static final class Heal extends Operation {
    @Override
    String op() {
      return "heal";
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a pod's log (every container it ran).")
  static final class Logs implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Parameters(paramLabel = "POD", description = "The pod, e.g. berth-1.")
    String pod;

    @Option(names = "--tail", defaultValue = "-1", description = "Only the last N lines.")
    int tail;

    @Override
    public Integer call() throws IOException {
      final Path log = dir.abs().resolve("logs").resolve(pod + ".log");
      if (!Files.isRegularFile(log)) {
        throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "no log for pod " + pod + " under " + dir.abs());
      }
      final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      final PrintWriter out = spec.commandLine().getOut();
      lines.subList(tail < 0 ? 0 : Math.max(0, lines.size() - tail), lines.size()).forEach(out::println);
      return ExitCodes.OK;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true,
      description = {"Deletes every pod and stops the controller.",
          "Pods get SIGTERM and their grace period. Volumes stay (the next 'up' finds the data) unless "
              + "--delete-volumes. Also stops pods whose controller died."})
  static final class Down implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DirOption dir;

    @Option(names = "--delete-volumes", description = "Also delete the pods' volumes.")
    boolean deleteVolumes;

    @Override
    public Integer call() {
      final PrintWriter out = spec.commandLine().getOut();
      final Optional<LocalControllerClient> controller = LocalControllerClient.find(dir.abs());
      if (controller.isPresent()) {
        withEvents(spec, dir.abs(), new OutputOptions(),
            () -> controller.get().post("down", Map.of("deleteVolumes", Boolean.toString(deleteVolumes))));
        ProcessHandle.of(controller.get().pid()).ifPresent(p -> {
          try {
            p.onExit().get(60, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, "the controller (pid " + p.pid()
                + ") did not exit within 60 s");
          }
        });
        out.println("down: every pod stopped" + (deleteVolumes ? ", volumes deleted" : ", volumes kept under "
            + dir.abs().resolve("volumes")));
        return ExitCodes.OK;
      }
      final int killed = Orphans.kill(dir.abs());
      if (deleteVolumes) {
        LocalStatefulSet.deleteTree(dir.abs().resolve("volumes"));
      }
      out.println(killed == 0 ? "down: nothing was running under " + dir.abs()
          : "down: the controller was gone; killed " + killed + " orphaned pod processes");
      return ExitCodes.OK;
    }
  }

  @Command(name = "controller", hidden = true, description = "Runs the controller (started by 'up').")
  static final class Controller implements Callable<Integer> {
    @Mixin
    DirOption dir;

    @Option(names = "--manifests-source")
    String manifests;

    @Option(names = "--replicas")
    Integer replicas;

    @Option(names = "--pod-management-policy")
    PodManagementPolicy policy;

    @Option(names = "--network", defaultValue = "loopback")
    String network;

    @Override
    public Integer call() throws IOException, InterruptedException {
      StatefulSetSpec sts = Manifests.locate(Optional.ofNullable(manifests).filter(m -> !m.isEmpty())
          .map(Path::of));
      if (replicas != null) {
        sts = sts.withReplicas(replicas);
      }
      if (policy != null) {
        sts = sts.withPolicy(policy);
      }
      final PodNetwork net = network.equals("namespaces") ? PodNetwork.namespaces() : PodNetwork.loopback();
      final LocalController controller = LocalController.start(dir.abs(), sts, PodCommand.current(), net);
      Runtime.getRuntime().addShutdownHook(new Thread(controller::close, "berth-local-shutdown"));
      controller.awaitStopped();
      return ExitCodes.OK;
    }
  }

  // ------------------------------------------------------------------------------------------- helpers

  /** Runs {@code op} while printing the controller's events as they happen (not in JSON mode). */
  static View withEvents(CommandSpec spec, Path dir, OutputOptions output, Callable<View> op) {
    final PrintWriter out = spec.commandLine().getOut();
    final Path events = dir.resolve(LocalController.EVENTS_FILE);
    final long start = size(events);
    final Thread tail = new Thread(() -> {
      long pos = start;
      while (!Thread.currentThread().isInterrupted()) {
        pos = printNew(out, events, pos, output.isJson());
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          break;
        }
      }
      printNew(out, events, pos, output.isJson());
    }, "berth-local-events");
    tail.setDaemon(true);
    tail.start();
    try {
      return op.call();
    } catch (CliException e) {
      throw e;
    } catch (Exception e) {
      throw new CliException(ExitCodes.NOT_FOUND_OR_FAILED, e.getMessage());
    } finally {
      tail.interrupt();
      try {
        tail.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static long printNew(PrintWriter out, Path file, long pos, boolean quiet) {
    if (!Files.exists(file)) {
      return pos;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      if (raf.length() <= pos) {
        return pos;
      }
      raf.seek(pos);
      final byte[] bytes = new byte[(int) (raf.length() - pos)];
      raf.readFully(bytes);
      final String text = new String(bytes, StandardCharsets.UTF_8);
      final int lastNewline = text.lastIndexOf('\n');
      if (lastNewline < 0) {
        return pos;
      }
      if (!quiet) {
        for (String line : text.substring(0, lastNewline).split("\n")) {
          // "2026-11-22T05:00:03.789Z event" -> "05:00:03 event"
          final int space = line.indexOf(' ');
          final String time = space > 19 ? line.substring(11, 19) : "";
          out.println("  " + time + "  " + (space > 0 ? line.substring(space + 1) : line));
        }
        out.flush();
      }
      return pos + text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
    } catch (IOException e) {
      return pos;
    }
  }

  static void print(CommandSpec spec, OutputOptions output, View view) {
    final Printer printer = output.printer(spec);
    if (printer.isJson()) {
      printer.json(view);
      return;
    }
    printer.line("statefulset/" + view.statefulSet() + " (namespace " + view.namespace() + "): " + view.replicas()
        + " replicas, " + view.podManagementPolicy() + ", " + view.network() + " network, manifests "
        + view.manifests());
    if (!view.partition().isEmpty()) {
      printer.line("network partition: " + view.partition() + " ('berth local heal' lifts it)");
    }
    final List<List<String>> rows = new ArrayList<>();
    for (PodStatus p : view.pods()) {
      rows.add(List.of(p.name(), p.ip().isEmpty() ? "-" : p.ip(), p.pid() == 0 ? "-" : Long.toString(p.pid()),
          p.phase(), p.ready() ? "yes" : "no", p.role().isEmpty() ? "-" : p.role(), Integer.toString(p.restarts()),
          p.volume()));
    }
    printer.table(List.of("NAME", "IP", "PID", "PHASE", "READY", "ROLE", "RESTARTS", "VOLUME"), rows);
  }

  private static String lastLine(Path log) {
    try {
      final List<String> lines = Files.readAllLines(log);
      return lines.isEmpty() ? "(empty log)" : lines.get(lines.size() - 1);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
