package io.berth.testkit.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.berth.proto.v1.ClusterGrpc;
import io.berth.proto.v1.MemberStatusRequest;
import io.berth.testkit.local.StatefulSetSpec.PodManagementPolicy;
import io.berth.testkit.local.StatefulSetSpec.Probe;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A StatefulSet on one machine: each pod is a real {@code berth server} process, started the way the manifest's
 * pod template says, with its own pod IP on loopback ({@code 127.a.b.x}, a new one whenever the pod is
 * scheduled again), per-pod DNS through an emulated hosts file, volumes that outlive their pods, probes on the
 * gRPC health services, restart policy {@code Always} and the pod management policy of the manifest.
 *
 * <p>Thread-safe. Only ever binds loopback addresses and only ever signals processes it started itself.
 * {@link #close()} (like {@link #down}) stops every pod it runs.
 */
public final class LocalStatefulSet implements AutoCloseable {
  /** The cluster DNS domain the emulated DNS serves. */
  public static final String CLUSTER_DOMAIN = "cluster.local";
  private static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(500);
  private static final Duration STABLE_RUN = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final PodCommand command;
  private final Consumer<String> events;
  private final Duration probeInterval;
  private final HostsFile hosts;
  private final PodNetwork network;
  private final ScheduledExecutorService scheduler;
  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final TreeMap<Integer, Pod> pods = new TreeMap<>();
  /** Guarded by {@link #lock}. */
  private StatefulSetSpec spec;
  /** Guarded by {@link #lock}. */
  private boolean closed;
  /** The partition in force (components of pods that can talk), empty when none. Guarded by {@link #lock}. */
  private List<Set<String>> partition = List.of();

  private LocalStatefulSet(Builder b) {
    this.dir = b.dir.toAbsolutePath().normalize();
    this.spec = b.spec;
    this.command = b.command;
    this.events = b.events;
    this.probeInterval = b.probeInterval;
    this.hosts = new HostsFile(dir.resolve("hosts"), spec.serviceName(), spec.namespace(), CLUSTER_DOMAIN);
    this.network = b.network == null ? PodNetwork.loopback() : b.network;
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      final Thread t = new Thread(r, "berth-local-" + spec.name());
      t.setDaemon(true);
      return t;
    });
  }

  /** A builder for an emulated StatefulSet whose state lives under {@code dir}. */
  public static Builder builder(Path dir, StatefulSetSpec spec) {
    return new Builder(dir, spec);
  }

  /** Options of a {@link LocalStatefulSet}. */
  public static final class Builder {
    private final Path dir;
    private final StatefulSetSpec spec;
    private PodCommand command = PodCommand.current();
    private Consumer<String> events = e -> {};
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
    private PodNetwork network;

    private Builder(Path dir, StatefulSetSpec spec) {
      this.dir = Objects.requireNonNull(dir, "dir");
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** How to run the container's {@code berth} command (default: this JVM's class path). */
    public Builder podCommand(PodCommand c) {
      this.command = Objects.requireNonNull(c, "command");
      return this;
    }

    /** Receives one line per event (pod scheduled, started, ready, exited, ...). */
    public Builder events(Consumer<String> e) {
      this.events = Objects.requireNonNull(e, "events");
      return this;
    }

    /**
     * How often probes run. The emulator probes at most this far apart whatever the manifest's
     * {@code periodSeconds}, so it notices readiness quickly; failure windows
     * ({@code periodSeconds x failureThreshold}) are the manifest's.
     */
    public Builder probeInterval(Duration d) {
      this.probeInterval = Objects.requireNonNull(d, "probeInterval");
      return this;
    }

    /**
     * The pod network (default {@link PodNetwork#loopback()}). The StatefulSet owns it from now on and
     * removes it on {@link LocalStatefulSet#close()}.
     */
    public Builder network(PodNetwork n) {
      this.network = Objects.requireNonNull(n, "network");
      return this;
    }

    /** Creates the emulator (no pod runs until {@link LocalStatefulSet#up}). */
    public LocalStatefulSet build() {
      try {
        Files.createDirectories(dir.resolve("volumes"));
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("pods"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the emulator's directory " + dir + ": " + e.getMessage(), e);
      }
      final LocalStatefulSet set = new LocalStatefulSet(this);
      set.scheduler.scheduleWithFixedDelay(set::probeAll, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
      return set;
    }
  }

  // ---------------------------------------------------------------------------------------------- queries

  /** The StatefulSet as it runs now (its replica count follows {@link #scale}). */
  public StatefulSetSpec spec() {
    synchronized (lock) {
      return spec;
    }
  }

  /** The directory that holds the emulator's state, volumes and logs. */
  public Path dir() {
    return dir;
  }

  /** The emulated DNS file every pod resolves names through. */
  public Path hostsFile() {
    return hosts.path();
  }

  /** The fully qualified per-pod DNS name of {@code pod}. */
  public String dnsName(String pod) {
    return hosts.fqdn(pod);
  }

  /** The log file of {@code pod} (every container it ran, appended). */
  public Path logFile(String pod) {
    return dir.resolve("logs").resolve(pod + ".log");
  }

  /** Every pod, by ordinal. */
  public List<PodStatus> status() {
    synchronized (lock) {
      return pods.values().stream().map(Pod::status).toList();
    }
  }

  /** One pod. */
  public PodStatus pod(String name) {
    synchronized (lock) {
      return find(name).status();
    }
  }

  /** The client port of the members ({@code client} port of the manifest). */
  public int clientPort() {
    return spec().container().ports().getOrDefault("client", 7379);
  }

  /** {@code ip:clientPort} of every pod that has an IP, by ordinal: the endpoints a client needs. */
  public List<String> endpoints() {
    synchronized (lock) {
      return pods.values().stream().filter(p -> p.ip != null).map(p -> p.ip + ":" + clientPort()).toList();
    }
  }

  /** The pod that reports itself leader, if one does. */
  public Optional<PodStatus> leader() {
    return status().stream().filter(p -> "LEADER".equals(p.role())).findFirst();
  }

  // ------------------------------------------------------------------------------------------- operations

  /**
   * Creates the pods {@code 0..replicas-1} as the StatefulSet controller does: with {@code OrderedReady} one
   * at a time, each after the previous one is Ready; with {@code Parallel} all at once. Returns when all are
   * Ready.
   *
   * @throws IllegalStateException when they are not Ready within {@code timeout}
   */
  public void up(Duration timeout) {
    final StatefulSetSpec s = spec();
    events.accept("statefulset/" + s.name() + ": " + s.replicas() + " replicas, podManagementPolicy "
        + s.policy() + ", " + network.mode() + " network " + network.describe() + ", DNS <pod>." + s.serviceName()
        + "." + s.namespace()
        + ".svc." + CLUSTER_DOMAIN + " (manifests: " + s.source() + ")");
    createPods(0, s.replicas(), timeout);
  }

  /** Waits until every pod is Ready. */
  public void awaitReady(Duration timeout) {
    awaitReady(status().stream().map(PodStatus::name).toList(), timeout);
  }

  /** Waits until the named pods are Ready. */
  public void awaitReady(Collection<String> names, Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final List<String> notReady;
      synchronized (lock) {
        notReady = names.stream().filter(n -> {
          final Pod p = findOrNull(n);
          return p == null || !p.ready;
        }).toList();
      }
      if (notReady.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pods not Ready after " + timeout.toSeconds() + " s: " + notReady
            + " (see their logs under " + dir.resolve("logs") + ")");
      }
      sleep(Duration.ofMillis(100));
    }
  }

  /**
   * Deletes {@code name} (SIGTERM, then SIGKILL after the grace period) and lets the StatefulSet controller
   * create it again: same name, same volumes, a new pod IP. Returns the new pod once its process runs.
   *
   * @param grace the grace period; empty for the manifest's {@code terminationGracePeriodSeconds}
   */
  public PodStatus deletePod(String name, Optional<Duration> grace) {
    final Pod pod;
    synchronized (lock) {
      pod = find(name);
    }
    terminate(pod, grace.orElse(spec().terminationGrace()), "deleted");
    synchronized (lock) {
      if (pod.ordinal < spec.replicas() && !closed) {
        return createPod(pod.ordinal).status();
      }
      throw new IllegalStateException("pod " + name + " is beyond the replica count and was not recreated");
    }
  }

  /**
   * Kills the container of {@code name} with SIGKILL. With {@code restart} the kubelet restarts it (same pod,
   * same IP), as restart policy {@code Always} does; without, it stays down until {@link #start}.
   */
  public void kill(String name, boolean restart) {
    final Process process;
    synchronized (lock) {
      final Pod pod = find(name);
      pod.held = !restart;
      process = pod.process;
      if (process == null) {
        pod.phase = restart ? pod.phase : "Stopped";
        persist();
        return;
      }
      events.accept("pod/" + name + ": SIGKILL pid " + process.pid() + (restart ? "" : " (restarts held)"));
    }
    process.destroyForcibly();
    await(process, Duration.ofSeconds(30));
  }

  /** Lets a pod killed with restarts held run again. */
  public void start(String name) {
    synchronized (lock) {
      final Pod pod = find(name);
      pod.held = false;
      if (pod.process == null && !pod.deleting) {
        startContainer(pod);
      }
    }
  }

  /** Stops every process of {@code name} with SIGSTOP: it holds its sockets but answers nothing. */
  public void pause(String name) {
    signal(name, "STOP", true);
  }

  /** Resumes a paused pod with SIGCONT. */
  public void resume(String name) {
    signal(name, "CONT", false);
  }

  private void signal(String name, String signal, boolean paused) {
    synchronized (lock) {
      final Pod pod = running(name);
      Signals.send(pod.process.pid(), signal);
      pod.paused = paused;
      events.accept("pod/" + name + ": SIG" + signal + " pid " + pod.process.pid());
      persist();
    }
  }

  /**
   * Sets the replica count: new ordinals are created (in order and one Ready at a time under
   * {@code OrderedReady}), the highest ordinals deleted first. Volumes of removed pods stay, as PVCs do.
   * Pods never change Raft membership by themselves: that is an explicit operation.
   */
  public void scale(int replicas, Duration timeout) {
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0: " + replicas);
    }
    final int before;
    synchronized (lock) {
      before = spec.replicas();
      spec = spec.withReplicas(replicas);
      persist();
    }
    events.accept("statefulset/" + spec().name() + ": scale " + before + " -> " + replicas);
    if (replicas > before) {
      createPods(before, replicas, timeout);
      return;
    }
    final List<Pod> doomed;
    synchronized (lock) {
      doomed = new ArrayList<>(pods.tailMap(replicas, true).descendingMap().values());
    }
    if (spec().policy() == PodManagementPolicy.OrderedReady) {
      doomed.forEach(p -> terminate(p, spec().terminationGrace(), "scaled down"));
    } else {
      parallel(doomed, p -> terminate(p, spec().terminationGrace(), "scaled down"));
    }
  }

  /**
   * Restarts every pod the way a rolling update does: highest ordinal first, each deleted gracefully and
   * recreated (new IP, same volume), the next only once it has been Ready for {@code minReadySeconds}.
   */
  public void rollingRestart(Duration readyTimeout) {
    final List<String> order;
    synchronized (lock) {
      order = pods.descendingMap().values().stream().map(p -> p.name).toList();
    }
    for (String name : order) {
      // The StatefulSet controller updates a pod only while every pod is Running and Ready.
      awaitReady(readyTimeout);
      events.accept("rolling restart: " + name);
      deletePod(name, Optional.empty());
      awaitReady(List.of(name), readyTimeout);
      // minReadySeconds: the pod must stay Ready this long before the update moves on.
      sleep(spec().minReady());
      awaitReady(List.of(name), readyTimeout);
    }
  }

  /**
   * Loses the data volume of {@code name}: the pod is deleted, its volumes are erased, and the StatefulSet
   * creates it again on fresh, empty volumes (as after deleting its PVC).
   */
  public PodStatus deleteVolume(String name) {
    final Pod pod;
    synchronized (lock) {
      pod = find(name);
    }
    terminate(pod, spec().terminationGrace(), "deleted with its volumes");
    for (Path volume : pod.claimVolumes()) {
      deleteTree(volume);
      events.accept("volume " + volume.getFileName() + ": deleted");
    }
    synchronized (lock) {
      if (pod.ordinal < spec.replicas() && !closed) {
        return createPod(pod.ordinal).status();
      }
    }
    throw new IllegalStateException("pod " + name + " is beyond the replica count and was not recreated");
  }

  /** Deletes every pod (in parallel, gracefully); with {@code deleteVolumes} also their volumes. */
  public void down(boolean deleteVolumes) {
    final List<Pod> all;
    synchronized (lock) {
      all = new ArrayList<>(pods.values());
    }
    parallel(all, p -> terminate(p, spec().terminationGrace(), "deleted (down)"));
    if (deleteVolumes) {
      deleteTree(dir.resolve("volumes"));
      events.accept("volumes deleted");
    }
  }

  /** {@link #down down(false)}, then stops probing. */
  @Override
  public void close() {
    down(false);
    synchronized (lock) {
      closed = true;
      persist();
    }
    scheduler.shutdownNow();
    network.close();
  }

  /** {@code loopback} or {@code namespaces}. */
  public String networkMode() {
    return network.mode();
  }

  /**
   * Partitions the pod network: pods that share a component can talk, others cannot (both directions). A pod
   * in several components is a bridge between them. Stays in force, following pods to their new IPs, until
   * {@link #heal()}.
   *
   * @throws UnsupportedOperationException on the loopback network
   */
  public void partition(Collection<Set<String>> components) {
    synchronized (lock) {
      partition = components.stream().map(Set::copyOf).toList();
      events.accept("network: partition " + partition);
      applyPartition();
      persist();
    }
  }

  /** Lifts the partition. */
  public void heal() {
    synchronized (lock) {
      partition = List.of();
      network.heal();
      events.accept("network: healed");
      persist();
    }
  }

  /** The partition in force; empty when the network is whole. */
  public List<Set<String>> currentPartition() {
    synchronized (lock) {
      return partition;
    }
  }

  /** Re-applies the partition to the pods' current IPs. Caller holds the lock. */
  private void applyPartition() {
    if (partition.isEmpty()) {
      return;
    }
    final Map<String, String> ips = new LinkedHashMap<>();
    pods.values().stream().filter(p -> p.ip != null).forEach(p -> ips.put(p.name, p.ip));
    network.partition(partition, ips);
  }

  // ------------------------------------------------------------------------------------------- internals

  private void createPods(int from, int to, Duration timeout) {
    final List<String> created = new ArrayList<>();
    for (int i = from; i < to; i++) {
      final String name;
      synchronized (lock) {
        if (pods.containsKey(i)) {
          continue;
        }
        name = createPod(i).name;
      }
      created.add(name);
      if (spec().policy() == PodManagementPolicy.OrderedReady) {
        awaitReady(List.of(name), timeout);
      }
    }
    awaitReady(created, timeout);
  }

  /** Schedules pod {@code ordinal}: fresh IP, its volumes, DNS record, container. Caller holds the lock. */
  private Pod createPod(int ordinal) {
    final Pod pod = new Pod(ordinal, spec.podName(ordinal));
    final Map<String, Path> volumes = new HashMap<>();
    for (String claim : spec.claimTemplates()) {
      volumes.put(claim, dir.resolve("volumes").resolve(claim + "-" + pod.name));
    }
    final Path scratch = dir.resolve("pods").resolve(pod.name);
    deleteTree(scratch);
    for (String empty : spec.emptyDirs()) {
      volumes.put(empty, scratch.resolve(empty));
    }
    try {
      for (Path v : volumes.values()) {
        Files.createDirectories(v);
      }
      Files.createDirectories(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the volumes of " + pod.name + ": " + e.getMessage(), e);
    }
    pod.volumes = volumes;
    pod.scratch = scratch;
    pod.ip = network.attach(pod.name, List.copyOf(spec.container().ports().values()));
    pods.put(ordinal, pod);
    writeHosts();
    applyPartition();
    events.accept("pod/" + pod.name + ": scheduled, IP " + pod.ip + ", volume " + volumes.keySet());
    startContainer(pod);
    return pod;
  }

  /** Starts the pod's container. Caller holds the lock. */
  private void startContainer(Pod pod) {
    final Map<String, String> fields = new LinkedHashMap<>();
    fields.put("metadata.name", pod.name);
    fields.put("metadata.namespace", spec.namespace());
    fields.put("status.podIP", pod.ip);
    fields.put("status.hostIP", "127.0.0.1");
    fields.put("spec.nodeName", "local");
    fields.put("spec.serviceAccountName", "default");
    final PodEnvironment env = PodEnvironment.resolve(spec.container(), fields, pod.volumes);
    final List<String> cmd = new ArrayList<>();
    cmd.add(command.java().toString());
    cmd.add("-Djdk.net.hosts.file=" + hosts.path());
    cmd.add("-Dberth.local.dir=" + dir);
    cmd.add("-Dberth.local.pod=" + pod.name);
    cmd.addAll(command.jvmOptions());
    cmd.add("-cp");
    cmd.add(command.classPath());
    cmd.add(command.mainClass());
    final List<String> entry = spec.container().command();
    if (!entry.isEmpty()) {
      if (!Path.of(entry.get(0)).getFileName().toString().equals("berth")) {
        throw new IllegalArgumentException("the emulator runs the berth command only, the manifest's command is "
            + entry);
      }
      cmd.addAll(entry.subList(1, entry.size()));
    }
    cmd.addAll(env.args());
    final ProcessBuilder pb = new ProcessBuilder(network.wrap(pod.name, cmd)).directory(pod.scratch.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(pod.name).toFile()));
    final Map<String, String> penv = pb.environment();
    penv.keySet().removeIf(k -> k.startsWith("BERTH_") || k.startsWith("POD_") || k.equals("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    penv.putAll(env.env());
    penv.put("HOSTNAME", pod.name);
    if (network.bindsPodIp()) {
      // A pod's network namespace has only its pod IP; on the shared loopback, listen there and nowhere else.
      penv.put("BERTH_BIND_ADDRESS", pod.ip);
    }
    penv.put("BERTH_REPLICAS", Integer.toString(spec.replicas()));
    try {
      final String shown = String.join(" ", cmd).replace(command.classPath(), "<berth class path>");
      Files.writeString(logFile(pod.name), "---- " + Instant.now() + " " + pod.name + " container start on "
          + pod.ip + ": " + shown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      final Process process = pb.start();
      pod.process = process;
      pod.generation++;
      pod.started = false;
      pod.ready = false;
      pod.paused = false;
      pod.role = "";
      pod.containerStart = System.nanoTime();
      pod.failingSince = 0;
      pod.phase = "Running";
      final int generation = pod.generation;
      process.onExit().thenAccept(p -> onExit(pod, generation, p));
      events.accept("pod/" + pod.name + ": container started, pid " + process.pid());
    } catch (IOException e) {
      pod.phase = "Failed";
      events.accept("pod/" + pod.name + ": cannot start its container: " + e.getMessage());
      scheduleRestart(pod);
    }
    persist();
  }

  private void onExit(Pod pod, int generation, Process p) {
    synchronized (lock) {
      if (pod.generation != generation || pod.process != p) {
        return;
      }
      pod.process = null;
      pod.ready = false;
      pod.paused = false;
      pod.role = "";
      pod.lastExit = p.exitValue();
      final Duration ran = Duration.ofNanos(System.nanoTime() - pod.containerStart);
      if (ran.compareTo(STABLE_RUN) >= 0) {
        pod.crashStreak = 0;
      }
      events.accept("pod/" + pod.name + ": container exited with status " + pod.lastExit + " after "
          + ran.toMillis() + " ms");
      if (pod.deleting || closed) {
        pod.phase = "Terminating";
      } else if (pod.held) {
        pod.phase = "Stopped";
      } else {
        scheduleRestart(pod);
      }
      persist();
      lock.notifyAll();
    }
  }

  /** Restart policy Always, with a short exponential back-off. Caller holds the lock. */
  private void scheduleRestart(Pod pod) {
    final long delayMs = pod.crashStreak == 0 ? 200
        : Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(pod.crashStreak - 1, 10));
    pod.crashStreak++;
    pod.restarts++;
    pod.phase = delayMs >= 1000 ? "CrashLoopBackOff" : "Pending";
    final int generation = pod.generation;
    pod.restartTask = scheduler.schedule(() -> {
      synchronized (lock) {
        if (!closed && !pod.deleting && !pod.held && pod.process == null && pod.generation == generation
            && pods.get(pod.ordinal) == pod) {
          startContainer(pod);
        }
      }
    }, delayMs, TimeUnit.MILLISECONDS);
  }

  /** Deletes a pod: SIGTERM, SIGKILL after {@code grace}; its DNS record and IP go with it. */
  private void terminate(Pod pod, Duration grace, String why) {
    final Process process;
    synchronized (lock) {
      pod.deleting = true;
      pod.ready = false;
      pod.phase = "Terminating";
      if (pod.restartTask != null) {
        pod.restartTask.cancel(false);
      }
      process = pod.process;
      events.accept("pod/" + pod.name + ": " + why + (process == null ? "" : ", SIGTERM pid " + process.pid()
          + " (grace " + grace.toSeconds() + " s)"));
      persist();
    }
    if (process != null) {
      process.destroy();
      if (pod.paused) {
        // A stopped process cannot act on SIGTERM; the kubelet's SIGKILL would come after the grace period.
        Signals.send(process.pid(), "CONT");
      }
      if (!await(process, grace)) {
        events.accept("pod/" + pod.name + ": grace period over, SIGKILL");
        process.destroyForcibly();
        await(process, Duration.ofSeconds(30));
      }
    }
    synchronized (lock) {
      // Let the exit be recorded (and narrated) before the pod goes away.
      final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (process != null && pod.process == process && System.nanoTime() < until) {
        try {
          lock.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      pod.closeChannels();
      if (pods.get(pod.ordinal) == pod) {
        pods.remove(pod.ordinal);
      }
      network.detach(pod.name);
      deleteTree(pod.scratch);
      writeHosts();
      persist();
    }
  }

  /** Runs the probes of every pod; also learns each pod's Raft role. */
  private void probeAll() {
    final List<Pod> snapshot;
    synchronized (lock) {
      if (closed) {
        return;
      }
      snapshot = new ArrayList<>(pods.values());
    }
    for (Pod pod : snapshot) {
      try {
        probe(pod);
      } catch (RuntimeException e) {
        events.accept("pod/" + pod.name + ": probe error " + e);
      }
    }
    synchronized (lock) {
      persist();
    }
  }

  private void probe(Pod pod) {
    final Process process;
    final int generation;
    final boolean started;
    synchronized (lock) {
      process = pod.process;
      generation = pod.generation;
      started = pod.started;
      if (process == null || pod.deleting) {
        return;
      }
    }
    final StatefulSetSpec.Container c = spec().container();
    final Duration age = Duration.ofNanos(System.nanoTime() - pod.containerStart);
    if (!started) {
      final Optional<Probe> startup = c.startupProbe();
      final boolean ok = startup.isEmpty() || (age.compareTo(startup.get().initialDelay()) >= 0
          && serving(pod, startup.get()));
      synchronized (lock) {
        if (pod.generation != generation) {
          return;
        }
        if (ok) {
          pod.started = true;
          pod.failingSince = 0;
        } else if (age.compareTo(startup.get().initialDelay().plus(startup.get().failureWindow())) > 0) {
          restartContainer(pod, "startup probe failed for " + startup.get().failureWindow().toSeconds() + " s");
          return;
        }
      }
      if (!ok) {
        return;
      }
    }
    final boolean ready = c.readinessProbe().map(p -> serving(pod, p)).orElse(true);
    final Optional<Probe> liveness = c.livenessProbe();
    final boolean live = liveness.map(p -> serving(pod, p)).orElse(true);
    final String role = ready || live ? role(pod) : "";
    synchronized (lock) {
      if (pod.generation != generation || pod.process == null) {
        return;
      }
      if (pod.ready != ready) {
        events.accept("pod/" + pod.name + ": " + (ready ? "Ready" : "not Ready"));
      }
      pod.ready = ready;
      pod.role = role;
      if (live) {
        pod.failingSince = 0;
      } else if (pod.failingSince == 0) {
        pod.failingSince = System.nanoTime();
      } else if (Duration.ofNanos(System.nanoTime() - pod.failingSince)
          .compareTo(liveness.get().failureWindow()) >= 0) {
        restartContainer(pod, "liveness probe failed for " + liveness.get().failureWindow().toSeconds() + " s");
      }
    }
  }

  /** Kills the container the way the kubelet does after a failed probe; restart policy brings it back. */
  private void restartContainer(Pod pod, String why) {
    final Process process = pod.process;
    events.accept("pod/" + pod.name + ": " + why + ", restarting its container");
    pod.failingSince = 0;
    process.destroy();
    if (pod.paused) {
      Signals.send(process.pid(), "CONT");
    }
    final long grace = spec.terminationGrace().toMillis();
    scheduler.schedule(() -> {
      process.destroyForcibly();
    }, grace, TimeUnit.MILLISECONDS);
  }

  private boolean serving(Pod pod, Probe probe) {
    try {
      final var response = HealthGrpc.newBlockingStub(pod.channel(probe.port()))
          .withDeadlineAfter(probeDeadline(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService(probe.service()).build());
      return response.getStatus() == ServingStatus.SERVING;
    } catch (StatusRuntimeException e) {
      return false;
    }
  }

  private String role(Pod pod) {
    try {
      return ClusterGrpc.newBlockingStub(pod.channel(clientPort()))
          .withDeadlineAfter(probeDeadline(), TimeUnit.MILLISECONDS)
          .memberStatus(MemberStatusRequest.getDefaultInstance()).getRole();
    } catch (StatusRuntimeException e) {
      return "";
    }
  }

  private long probeDeadline() {
    return Math.max(250, Math.min(1000, probeInterval.toMillis() * 2));
  }

  private Pod find(String name) {
    final Pod p = findOrNull(name);
    if (p == null) {
      throw new IllegalArgumentException("no pod " + name + " (pods: "
          + pods.values().stream().map(x -> x.name).toList() + ")");
    }
    return p;
  }

  private Pod findOrNull(String name) {
    return pods.values().stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
  }

  private Pod running(String name) {
    final Pod pod = find(name);
    if (pod.process == null) {
      throw new IllegalStateException("pod " + name + " has no running container (" + pod.phase + ")");
    }
    return pod;
  }

  private void writeHosts() {
    final Map<String, String> records = new LinkedHashMap<>();
    pods.values().stream().filter(p -> p.ip != null && !p.removedFromDns()).forEach(p -> records.put(p.name, p.ip));
    hosts.write(records);
  }

  /** Writes {@code state.json} for other {@code berth local} invocations. Caller holds the lock. */
  private void persist() {
    final Map<String, Object> state = new LinkedHashMap<>();
    state.put("statefulSet", spec.name());
    state.put("namespace", spec.namespace());
    state.put("serviceName", spec.serviceName());
    state.put("replicas", spec.replicas());
    state.put("podManagementPolicy", spec.policy().name());
    state.put("manifests", spec.source());
    state.put("network", network.describe());
    state.put("partition", partition);
    state.put("hostsFile", hosts.path().toString());
    state.put("pods", pods.values().stream().map(Pod::status).toList());
    try {
      final Path tmp = dir.resolve("state.json.tmp");
      JSON.writeValue(tmp.toFile(), state);
      Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      events.accept("cannot write " + dir.resolve("state.json") + ": " + e.getMessage());
    }
  }

  private static boolean await(Process p, Duration timeout) {
    try {
      p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static <T> void parallel(List<T> items, Consumer<T> action) {
    final List<Thread> threads = items.stream().map(i -> new Thread(() -> action.accept(i), "berth-local-op")).toList();
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes {@code root} and everything under it; nothing when it does not exist. */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }

  /** One pod's mutable state, guarded by {@link #lock}. */
  private final class Pod {
    final int ordinal;
    final String name;
    String ip;
    Process process;
    Map<String, Path> volumes = Map.of();
    Path scratch;
    String phase = "Pending";
    String role = "";
    boolean started;
    boolean ready;
    boolean paused;
    boolean held;
    boolean deleting;
    int generation;
    int restarts;
    int crashStreak;
    int lastExit;
    long containerStart;
    long failingSince;
    ScheduledFuture<?> restartTask;
    private final Map<Integer, ManagedChannel> channels = new HashMap<>();

    Pod(int ordinal, String name) {
      this.ordinal = ordinal;
      this.name = name;
    }

    /** A terminated pod loses its DNS record and IP. */
    boolean removedFromDns() {
      return deleting && process == null;
    }

    List<Path> claimVolumes() {
      return spec().claimTemplates().stream().map(volumes::get).filter(Objects::nonNull).toList();
    }

    synchronized ManagedChannel channel(int port) {
      return channels.computeIfAbsent(port, p -> Grpc.newChannelBuilderForAddress(ip, p,
          InsecureChannelCredentials.create()).build());
    }

    synchronized void closeChannels() {
      channels.values().forEach(ManagedChannel::shutdownNow);
      channels.clear();
    }

    PodStatus status() {
      final Path data = claimVolumes().stream().findFirst().orElse(null);
      return new PodStatus(name, ordinal, ip == null ? "" : ip, process == null ? 0 : process.pid(),
          data == null ? "" : data.toString(), paused ? "Paused" : phase, ready, paused, role, restarts);
    }
  }
}
