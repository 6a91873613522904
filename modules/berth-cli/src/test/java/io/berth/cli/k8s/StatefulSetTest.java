package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.integer;
import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.listOrEmpty;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.mapOrEmpty;
import static io.berth.cli.k8s.Yamls.named;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.server.BerthServer;
import io.berth.server.api.MemberHealth;
import io.berth.server.identity.Environment;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.MemberOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The StatefulSet's invariants, in every kustomization and with every kustomize. */
class StatefulSetTest {
  private static final String CASES = "io.berth.cli.k8s.Cases#rendered";
  /** How long a stopping member lets in-flight client calls finish (ClientApiServer.close). */
  private static final Duration CLIENT_DRAIN = Duration.ofSeconds(2);
  /** At least this long for opening a large database and replaying the log before liveness applies. */
  private static final Duration MIN_STARTUP_BUDGET = Duration.ofMinutes(5);
  private static final Set<String> IMMUTABLE_SELECTOR_KEYS =
      Set.of("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component");
  private static final List<String> RECOMMENDED_LABELS = List.of("app.kubernetes.io/name",
      "app.kubernetes.io/instance", "app.kubernetes.io/component", "app.kubernetes.io/part-of",
      "app.kubernetes.io/version", "app.kubernetes.io/managed-by");

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void podManagementIsParallelSoAFullOutageCanRecover(Rendered r) {
    assertEquals("Parallel", at(r.statefulSet(), "spec", "podManagementPolicy"),
        r + ": OrderedReady deadlocks after a full outage (berth-0 cannot be Ready before a quorum exists)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void membersSeeTheReplicaCountOfTheStatefulSet(Rendered r) {
    final Map<String, String> env = PodEnvironment.env(r, 0);
    assertEquals(Cases.REPLICAS.get(r.kustomization()), r.replicas(), r + ": spec.replicas");
    assertEquals(String.valueOf(r.replicas()), env.get("BERTH_REPLICAS"),
        r + ": BERTH_REPLICAS must equal spec.replicas (an overlay must repeat the replacements block)");
    assertEquals(1, r.replicas() % 2, r + ": an even member count adds no fault tolerance over one fewer");
    assertEquals(r.serviceName(), env.get("BERTH_SERVICE"), r + ": BERTH_SERVICE must be spec.serviceName");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void dataIsAPerPodReadWriteOnceClaimThatOutlivesThePods(Rendered r) {
    final Map<String, Object> claim = list(r.statefulSet(), "spec", "volumeClaimTemplates").stream()
        .map(Yamls::map).filter(t -> "data".equals(at(t, "metadata", "name"))).findFirst()
        .orElseThrow(() -> new AssertionError(r + ": no volumeClaimTemplate named data"));
    assertEquals(List.of("ReadWriteOnce"), list(claim, "spec", "accessModes"), r + ": data access modes");
    assertTrue(Quantity.parse(str(claim, "spec", "resources", "requests", "storage")).signum() > 0,
        r + ": data storage request");
    assertTrue(listOrEmpty(r.podSpec(), "volumes").stream().noneMatch(v -> "data".equals(map(v).get("name"))),
        r + ": a pod volume named data would shadow the claim (and an emptyDir would lose the log)");
    assertNotNull(r.mountOf("data"), r + ": the data claim is not mounted");
    assertEquals(Map.of("whenDeleted", "Retain", "whenScaled", "Retain"),
        mapOrEmpty(r.statefulSet(), "spec", "persistentVolumeClaimRetentionPolicy"),
        r + ": volumes must outlive the StatefulSet and scale-downs");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void readOnlyRootHasAWritableTmpForRocksDb(Rendered r) {
    assertEquals(Boolean.TRUE, at(r.container(), "securityContext", "readOnlyRootFilesystem"), r.toString());
    final Map<String, Object> mount = r.mountAt("/tmp");
    assertNotNull(mount, r + ": nothing is mounted on /tmp, where rocksdbjni extracts its native library");
    assertNotEquals(Boolean.TRUE, mount.get("readOnly"), r + ": /tmp is mounted read-only");
    assertTrue(named(listOrEmpty(r.podSpec(), "volumes"), str(mount, "name")).containsKey("emptyDir"),
        r + ": /tmp must be an emptyDir");
    assertFalse(jvmOptions(r).contains("java.io.tmpdir"), r + ": java.io.tmpdir moved away from the /tmp mount");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void probesUseTheMembersGrpcHealthServicesOnTheClientPort(Rendered r) {
    final int clientPort = memberOf(r, 0).self().clientPort();
    final Map<String, String> services = Map.of("startupProbe", MemberHealth.STARTUP,
        "livenessProbe", MemberHealth.LIVENESS, "readinessProbe", MemberHealth.READINESS);
    services.forEach((probe, service) -> {
      final Map<String, Object> p = map(r.container(), probe);
      assertEquals(Set.of("grpc"), Set.copyOf(p.keySet().stream().filter(k -> Set.of("grpc", "httpGet", "exec",
          "tcpSocket").contains(k)).toList()), r + ": " + probe + " must be a gRPC probe");
      assertEquals(clientPort, integer(p, "grpc", "port"), r + ": " + probe + " port (numeric) must be the client"
          + " port the server listens on");
      assertEquals(service, str(p, "grpc", "service"), r + ": " + probe + " health service");
      assertEquals(clientPort, r.containerPort("client"), r + ": container port client");
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void startupBudgetCoversASlowStartAndLivenessToleratesPauses(Rendered r) {
    final long startup = window(map(r.container(), "startupProbe"));
    final long liveness = window(map(r.container(), "livenessProbe"));
    assertTrue(startup >= MIN_STARTUP_BUDGET.toSeconds(), r + ": startup budget " + startup + " s is under "
        + MIN_STARTUP_BUDGET.toSeconds() + " s (a large database or snapshot install would be killed)");
    assertTrue(liveness >= 30, r + ": liveness restarts after " + liveness + " s of failures; a long GC pause"
        + " or a busy node would restart a healthy member");
    assertTrue(integer(map(r.container(), "readinessProbe"), "periodSeconds") <= 10,
        r + ": readiness must notice a member that lost its leader within seconds");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void gracePeriodLeavesTimeForTheLeadershipHandoff(Rendered r) {
    final Duration handoff = BerthServer.Options.of(memberOf(r, 0), Path.of("/unused")).handoff();
    final long grace = integer(r.podSpec(), "terminationGracePeriodSeconds");
    final long needed = handoff.plus(CLIENT_DRAIN).toSeconds() + 10;
    assertTrue(grace >= needed, r + ": terminationGracePeriodSeconds " + grace + " < handoff " + handoff.toSeconds()
        + " s + drain " + CLIENT_DRAIN.toSeconds() + " s + 10 s to close the log and database");
    assertNull(at(r.container(), "lifecycle", "preStop"), r + ": a preStop hook would eat the grace period");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void requiredAntiAffinityKeepsMembersOnDifferentNodes(Rendered r) {
    final List<Object> terms = list(r.podSpec(), "affinity", "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution");
    final Map<String, Object> term = terms.stream().map(Yamls::map)
        .filter(t -> "kubernetes.io/hostname".equals(t.get("topologyKey"))).findFirst()
        .orElseThrow(() -> new AssertionError(r + ": no required anti-affinity on kubernetes.io/hostname"));
    assertTrue(LabelSelector.matches(map(term, "labelSelector"), r.podLabels()),
        r + ": the anti-affinity selector " + term.get("labelSelector") + " does not match the pod labels "
            + r.podLabels() + ", so it keeps nothing apart");
    assertNull(term.get("namespaces"), r + ": anti-affinity must apply in the pods' own namespace");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void securityContextIsRestricted(Rendered r) {
    final Map<String, Object> pod = map(r.podSpec(), "securityContext");
    final Map<String, Object> c = map(r.container(), "securityContext");
    assertEquals(Boolean.TRUE, pod.get("runAsNonRoot"), r + ": runAsNonRoot");
    assertTrue(integer(pod, "runAsUser") > 0 && integer(pod, "runAsGroup") > 0, r + ": runAsUser/runAsGroup");
    assertEquals(pod.get("runAsGroup"), pod.get("fsGroup"), r + ": fsGroup makes the volume writable by the member");
    assertEquals("RuntimeDefault", at(pod, "seccompProfile", "type"), r + ": seccomp");
    assertEquals(Boolean.FALSE, c.get("allowPrivilegeEscalation"), r + ": allowPrivilegeEscalation");
    assertNotEquals(Boolean.TRUE, c.get("privileged"), r + ": privileged");
    assertEquals(List.of("ALL"), list(c, "capabilities", "drop"), r + ": capabilities.drop");
    assertNull(at(c, "capabilities", "add"), r + ": no capability may be added");
    assertNull(c.get("runAsUser"), r + ": the UID is set once, on the pod");
    assertEquals(Boolean.FALSE, r.podSpec().get("automountServiceAccountToken"),
        r + ": the member never calls the Kubernetes API");
    assertEquals(Boolean.FALSE, r.podSpec().get("enableServiceLinks"),
        r + ": service links would put BERTH_PORT, BERTH_SERVICE_HOST, ... next to the BERTH_* settings");
    assertNull(r.podSpec().get("hostNetwork"), r + ": hostNetwork");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void memoryLimitSizesTheHeapAndNoCpuLimitThrottlesHeartbeats(Rendered r) {
    final Map<String, Object> resources = map(r.container(), "resources");
    final String limit = str(resources, "limits", "memory");
    assertEquals(Quantity.parse(limit), Quantity.parse(str(resources, "requests", "memory")),
        r + ": memory request must equal the limit (no overcommit, no eviction first under node pressure)");
    assertNull(at(resources, "limits", "cpu"), r + ": a CPU limit throttles the member and causes elections");
    assertNotNull(at(resources, "requests", "cpu"), r + ": a CPU request");
    final String jvm = jvmOptions(r);
    final Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(jvm);
    assertTrue(percent.find(), r + ": the heap must follow the memory limit (-XX:MaxRAMPercentage)");
    final double p = Double.parseDouble(percent.group(1));
    assertTrue(p >= 25 && p <= 75, r + ": MaxRAMPercentage " + p + " leaves too little heap or too little for"
        + " RocksDB and direct buffers");
    assertFalse(jvm.matches(".*-Xmx\\S+.*|.*MaxHeapSize.*"), r + ": a fixed heap ignores the memory limit");
    assertTrue(jvm.contains("-XX:+ExitOnOutOfMemoryError"), r + ": a member out of heap must exit to be restarted");
    assertFalse(jvm.contains("UseContainerSupport=false") || jvm.contains("-UseContainerSupport"),
        r + ": container support must stay on");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void dnsCachesAreShortSoARescheduledPeerIsFoundAgain(Rendered r) {
    final Matcher ttl = Pattern.compile("-Dsun\\.net\\.inetaddr\\.ttl=(\\d+)").matcher(jvmOptions(r));
    assertTrue(ttl.find() && Integer.parseInt(ttl.group(1)) <= 10, r + ": DNS cache TTL must be at most 10 s");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource(CASES)
  void labelsAreTheRecommendedOnesAndSelectorsUseOnlyImmutableLabels(Rendered r) {
    final Map<String, String> labels = r.podLabels();
    for (String key : RECOMMENDED_LABELS) {
      assertTrue(labels.containsKey(key), r + ": pod label " + key + " missing");
    }
    final Map<String, Object> selector = map(r.statefulSet(), "spec", "selector");
    assertTrue(LabelSelector.matches(selector, labels), r + ": the StatefulSet's selector must match its template");
    for (String key : Yamls.strings(selector, "matchLabels").keySet()) {
      assertTrue(IMMUTABLE_SELECTOR_KEYS.contains(key), r + ": selector label " + key + " may change (the"
          + " selector of a StatefulSet cannot be changed after creation)");
    }
    assertTrue(listOrEmpty(selector, "matchExpressions").isEmpty(), r + ": keep the selector to matchLabels");
  }

  static String jvmOptions(Rendered r) {
    return PodEnvironment.env(r, 0).getOrDefault("JAVA_TOOL_OPTIONS", "");
  }

  static MemberConfig memberOf(Rendered r, int ordinal) {
    final Map<String, String> env = PodEnvironment.env(r, ordinal);
    final ServerInvocation server = ServerInvocation.parse(PodEnvironment.argv(r, ordinal), env);
    return MemberConfig.resolve(MemberOptions.builder()
        .name(server.option("--name")).peers(server.option("--peers")).replicas(server.option("--replicas"))
        .service(server.option("--service")).namespace(server.option("--namespace"))
        .clusterDomain(server.option("--cluster-domain")).peerPort(server.option("--peer-port"))
        .clientPort(server.option("--client-port")).clusterName(server.option("--cluster-name")).build(),
        Environment.of(env, PodEnvironment.podName(r, ordinal)));
  }

  private static long window(Map<String, Object> probe) {
    final Object period = probe.getOrDefault("periodSeconds", 10);
    final Object failures = probe.getOrDefault("failureThreshold", 3);
    return ((Integer) period).longValue() * (Integer) failures;
  }

  private static void assertNotEquals(Object unexpected, Object actual, String message) {
    org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual, message);
  }
}
