package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Services and the PodDisruptionBudget select the member pods and expose the right ports. */
class ServicesTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void headlessServiceIsTheServiceNameAndPublishesNotReadyMembers(Rendered r) {
    final Map<String, Object> svc = r.one("Service", r.serviceName());
    assertEquals("None", at(svc, "spec", "clusterIP"), r + ": spec.serviceName must name a headless Service");
    assertEquals(Boolean.TRUE, at(svc, "spec", "publishNotReadyAddresses"), r + ": members must resolve each"
        + " other before they are Ready (readiness needs a leader, a leader needs the peers)");
    assertSelectsMembers(r, svc);
    assertTargetsNamedPort(r, svc, "peer");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void clientServiceReachesReadyMembersOnTheClientPort(Rendered r) {
    final Map<String, Object> svc = r.one("Service", "berth");
    assertNotEquals("None", at(svc, "spec", "clusterIP"), r + ": the client Service has a virtual IP");
    assertNotEquals(Boolean.TRUE, at(svc, "spec", "publishNotReadyAddresses"),
        r + ": the client Service must be gated by readiness");
    assertSelectsMembers(r, svc);
    assertEquals(1, list(svc, "spec", "ports").size(), r + ": the client Service exposes the client port only");
    assertTargetsNamedPort(r, svc, "client");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void disruptionBudgetKeepsAMajority(Rendered r) {
    final List<Map<String, Object>> pdbs = r.all("PodDisruptionBudget");
    assertEquals(1, pdbs.size(), r + ": one PodDisruptionBudget");
    final Map<String, Object> pdb = pdbs.get(0);
    assertEquals("policy/v1", pdb.get("apiVersion"), r + ": PDB apiVersion");
    assertEquals(1, at(pdb, "spec", "maxUnavailable"), r + ": maxUnavailable must be the integer 1");
    assertTrue(LabelSelector.matches(map(pdb, "spec", "selector"), r.podLabels()),
        r + ": the PDB's selector does not select the member pods, so it protects nothing");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#overlays")
  void overlaysDeployIntoTheBerthNamespace(Rendered r) {
    for (Map<String, Object> o : r.objects()) {
      if (!"Namespace".equals(o.get("kind"))) {
        assertEquals(Cases.NAMESPACE, at(o, "metadata", "namespace"), r + ": " + o.get("kind") + " namespace");
      }
    }
    assertEquals("restricted", at(r.one("Namespace", Cases.NAMESPACE), "metadata", "labels",
        "pod-security.kubernetes.io/enforce"), r + ": the namespace enforces the restricted Pod Security Standard");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.berth.cli.k8s.Cases#rendered")
  void productionSpreadsMembersOverZones(Rendered r) {
    final List<Object> spread = Yamls.listOrEmpty(r.podSpec(), "topologySpreadConstraints");
    if (!r.kustomization().endsWith("production")) {
      assertTrue(spread.isEmpty() || r.kustomization().endsWith("production"), r + ": zone spread is production's");
      return;
    }
    final Map<String, Object> zone = spread.stream().map(Yamls::map)
        .filter(c -> "topology.kubernetes.io/zone".equals(c.get("topologyKey"))).findFirst()
        .orElseThrow(() -> new AssertionError(r + ": no zone spread"));
    assertEquals(1, zone.get("maxSkew"), r + ": maxSkew");
    assertEquals("DoNotSchedule", zone.get("whenUnsatisfiable"), r + ": a member may not pile into one zone");
    assertTrue(LabelSelector.matches(map(zone, "labelSelector"), r.podLabels()),
        r + ": the spread's selector does not select the members");
  }

  private static void assertSelectsMembers(Rendered r, Map<String, Object> svc) {
    final Map<String, String> selector = Yamls.strings(svc, "spec", "selector");
    assertTrue(!selector.isEmpty() && LabelSelector.matchesLabels(selector, r.podLabels()),
        r + ": Service " + at(svc, "metadata", "name") + " selector " + selector + " does not select the pods "
            + r.podLabels());
  }

  private static void assertTargetsNamedPort(Rendered r, Map<String, Object> svc, String name) {
    final Map<String, Object> port = Yamls.named(list(svc, "spec", "ports"), name);
    assertEquals(name, port.get("targetPort"), r + ": Service " + at(svc, "metadata", "name") + " port " + name
        + " must target the named container port");
    assertEquals(r.containerPort(name), port.get("port"), r + ": Service port " + name + " number");
    assertEquals(name, str(port, "name"), r.toString());
  }
}
