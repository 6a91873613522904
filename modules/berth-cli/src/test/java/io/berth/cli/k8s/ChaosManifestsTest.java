package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.integer;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Chaos Mesh manifests select Berth's member pods in the namespace the overlays deploy to. */
class ChaosManifestsTest {
  /** The label k8s/chaos/mark-leader.sh puts on the current leader; the only label a selector may add. */
  static final String LEADER_LABEL = "berth.io/leader";

  static Stream<Map<String, Object>> chaos() {
    return PlainManifests.in("k8s/chaos").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chaos")
  void selectorsSelectTheMembers(Map<String, Object> chaos) {
    final String file = (String) chaos.get("#file");
    assertEquals("chaos-mesh.org/v1alpha1", chaos.get("apiVersion"), file);
    assertEquals(Cases.NAMESPACE, at(chaos, "metadata", "namespace"), file + ": metadata.namespace");
    final Map<String, Object> spec = "Schedule".equals(chaos.get("kind"))
        ? map(chaos, "spec", Character.toLowerCase(str(chaos, "spec", "type").charAt(0))
            + str(chaos, "spec", "type").substring(1))
        : map(chaos, "spec");
    assertSelectsMembers(file + " selector", map(spec, "selector"));
    if (spec.containsKey("target")) {
      assertSelectsMembers(file + " target", map(spec, "target", "selector"));
    }
  }

  @Test
  void leaderKillsComeInACrashAndAGracefulVariant() {
    final Map<String, Integer> grace = new HashMap<>();
    chaos().filter(c -> Yamls.strings(c, "spec", "selector", "labelSelectors").containsKey(LEADER_LABEL))
        .forEach(c -> {
          assertEquals("pod-kill", at(c, "spec", "action"), c.get("#file") + ": action");
          assertEquals("one", at(c, "spec", "mode"), c.get("#file") + ": mode");
          grace.put((String) c.get("#file"), integer(c, "spec", "gracePeriod"));
        });
    final int podGrace = integer(Kustomize.required().render("k8s/overlays/kind").podSpec(),
        "terminationGracePeriodSeconds");
    assertEquals(Set.of(0, podGrace), Set.copyOf(grace.values()), "leader kills " + grace + ": one crash (0) and"
        + " one graceful (the pod's grace period, " + podGrace + " s, so the handoff can finish)");
  }

  @Test
  void networkChaosIsolatesOneMemberInBothDirections() {
    final List<Map<String, Object>> network = chaos().filter(c -> "NetworkChaos".equals(c.get("kind"))).toList();
    assertTrue(!network.isEmpty(), "no NetworkChaos");
    for (Map<String, Object> c : network) {
      assertEquals("partition", at(c, "spec", "action"), c.get("#file") + ": action");
      assertEquals("both", at(c, "spec", "direction"), c.get("#file") + ": direction");
      assertEquals("one", at(c, "spec", "mode"), c.get("#file") + ": mode");
      assertEquals("all", at(c, "spec", "target", "mode"), c.get("#file") + ": target mode");
    }
  }

  @Test
  void theMarkLeaderScriptSetsTheLabelTheManifestsSelect() throws IOException {
    final String script = Files.readString(Repo.path("k8s/chaos/mark-leader.sh"));
    assertTrue(script.contains(LEADER_LABEL + "=true") && script.contains(LEADER_LABEL + "-"),
        "k8s/chaos/mark-leader.sh must set " + LEADER_LABEL + "=true on the leader and remove it elsewhere");
    assertTrue(chaos().anyMatch(c -> "pod-failure".equals(at(c, "spec", "action"))), "a pod-failure manifest");
    assertTrue(chaos().anyMatch(c -> "Schedule".equals(c.get("kind"))), "a scheduled kill loop");
  }

  private static void assertSelectsMembers(String what, Map<String, Object> selector) {
    final Rendered kind = Kustomize.required().render("k8s/overlays/kind");
    assertEquals(List.of(kind.namespace()), selector.get("namespaces"), what + ": namespaces");
    final Map<String, String> labels = new HashMap<>(Yamls.strings(selector, "labelSelectors"));
    labels.remove(LEADER_LABEL);
    assertTrue(!labels.isEmpty() && LabelSelector.matchesLabels(labels, kind.podLabels()),
        what + ": labelSelectors " + labels + " do not select the member pods " + kind.podLabels());
    assertTrue(labels.keySet().stream().noneMatch(k -> k.equals("app.kubernetes.io/version")),
        what + ": selecting by version breaks at the next release");
  }
}
