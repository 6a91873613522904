package io.berth.testkit.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.testkit.local.StatefulSetSpec.PodManagementPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
  /** The repository's own base, which the emulator runs. */
  private static final Path REPO_BASE = Path.of("../../k8s/base");

  @Test
  void readsTheProjectsStatefulSetAndHeadlessService() {
    final StatefulSetSpec spec = Manifests.fromDirectory(REPO_BASE);
    assertEquals("berth", spec.name());
    assertEquals("berth-peers", spec.serviceName());
    assertEquals(PodManagementPolicy.Parallel, spec.policy());
    assertTrue(spec.claimTemplates().contains("data"), spec.claimTemplates().toString());
    assertEquals("berth", spec.container().name());
    assertEquals(7379, spec.container().ports().get("client"));
    assertEquals("berth-readiness", spec.container().readinessProbe().orElseThrow().service());
    assertTrue(spec.terminationGrace().compareTo(Duration.ofSeconds(5)) > 0);
  }

  @Test
  void theBundledCopyIsTheRepositorysBase() {
    // The jar carries k8s/base so the emulator runs the same manifests without the checkout.
    assertEquals(Manifests.fromDirectory(REPO_BASE).withReplicas(0).container(),
        Manifests.bundled().withReplicas(0).container());
  }

  @Test
  void aServiceThatIsNotHeadlessIsRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [all.yaml]\n");
    Files.writeString(dir.resolve("all.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: peers}
        spec: {ports: [{port: 7380}]}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: kv}
        spec:
          serviceName: peers
          template:
            spec:
              containers: [{name: berth, command: [berth], args: [server]}]
        """);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Manifests.fromDirectory(dir));
    assertTrue(e.getMessage().contains("headless"), e.getMessage());
  }

  @Test
  void aMissingGoverningServiceIsRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [sts.yaml]\n");
    Files.writeString(dir.resolve("sts.yaml"), """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: kv, namespace: team-a}
        spec:
          serviceName: peers
          template: {spec: {containers: [{name: berth}]}}
        """);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Manifests.fromDirectory(dir));
    assertTrue(e.getMessage().contains("no Service 'peers'"), e.getMessage());
  }
}
