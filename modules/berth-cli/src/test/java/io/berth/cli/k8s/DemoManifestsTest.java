package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo's client pod and workload Job run the member image against the client Service, restricted. */
class DemoManifestsTest {

  static Stream<Map<String, Object>> demo() {
    return PlainManifests.in("k8s/demo").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("demo")
  void clientsUseTheMemberImageAndTheClientService(Map<String, Object> object) {
    final String file = (String) object.get("#file");
    final Rendered kind = Kustomize.required().render("k8s/overlays/kind");
    final Map<String, Object> pod = "Job".equals(object.get("kind")) ? map(object, "spec", "template") : object;
    assertEquals(kind.namespace(), at(object, "metadata", "namespace"), file + ": namespace");
    final Map<String, Object> container = map(list(pod, "spec", "containers").get(0));
    assertEquals(str(kind.container(), "image"), str(container, "image"), file + ": image");
    final String endpoints = str(Yamls.named(list(container, "env"), "BERTH_ENDPOINTS"), "value");
    assertEquals("berth:" + kind.containerPort("client"), endpoints, file + ": BERTH_ENDPOINTS");
    kind.one("Service", endpoints.split(":")[0]);
    final Map<String, String> labels = Yamls.strings(pod, "metadata", "labels");
    assertFalse(LabelSelector.matchesLabels(Yamls.strings(kind.one("Service", "berth"), "spec", "selector"), labels),
        file + ": a client pod must not carry the member labels (Services and the PDB would select it)");
    assertEquals(Boolean.TRUE, at(pod, "spec", "securityContext", "runAsNonRoot"), file + ": runAsNonRoot");
    assertEquals("RuntimeDefault", at(pod, "spec", "securityContext", "seccompProfile", "type"), file);
    assertEquals(List.of("ALL"), list(container, "securityContext", "capabilities", "drop"), file);
    assertEquals(Boolean.FALSE, at(container, "securityContext", "allowPrivilegeEscalation"), file);
    assertTrue(at(container, "resources", "limits", "memory") != null, file + ": memory limit");
  }
}
