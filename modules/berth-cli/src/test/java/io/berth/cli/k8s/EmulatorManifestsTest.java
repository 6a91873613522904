package io.berth.cli.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.StatefulSetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The local emulator reads every rendered kustomization (base and overlays) the same way the API server
 * would: one StatefulSet, its headless Service, the same replicas, namespace, container and probes. So
 * {@code berth local up --manifests rendered.yaml} runs exactly what {@code kubectl apply} would.
 */
class EmulatorManifestsTest {
  static Stream<Rendered> cases() {
    return Cases.rendered();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void emulatorReadsTheRenderedManifestsAsRendered(Rendered r, @TempDir Path dir) throws IOException {
    final Path file = dir.resolve("rendered.yaml");
    Files.writeString(file, new Yaml().dumpAll(r.objects().iterator()));
    final StatefulSetSpec spec = Manifests.fromDirectory(file);
    assertEquals(r.replicas(), spec.replicas(), r.toString());
    assertEquals(r.namespace(), spec.namespace(), r.toString());
    assertEquals(r.serviceName(), spec.serviceName(), r.toString());
    assertEquals(Yamls.listOrEmpty(r.container(), "args"), spec.container().args(), r.toString());
    assertEquals(r.containerPort("client"), spec.container().ports().get("client"), r.toString());
    assertEquals(StatefulSetSpec.PodManagementPolicy.Parallel, spec.policy(), r.toString());
    assertEquals("berth-readiness", spec.container().readinessProbe().orElseThrow().service(), r.toString());
  }
}
