package io.berth.testkit.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.testkit.local.StatefulSetSpec.Container;
import io.berth.testkit.local.StatefulSetSpec.EnvVar;
import io.berth.testkit.local.StatefulSetSpec.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodEnvironmentTest {
  private static EnvVar value(String name, String value) {
    return new EnvVar(name, Optional.of(value), Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static EnvVar field(String name, String path) {
    return new EnvVar(name, Optional.empty(), Optional.of(path), Optional.empty(), Optional.empty());
  }

  private static Container container(List<String> args, List<EnvVar> env, List<Mount> mounts) {
    return new Container("berth", List.of("berth"), args, env, mounts, Map.of("client", 7379), Optional.empty(),
        Optional.empty(), Optional.empty(), Map.of("memory", "1Gi"), Map.of("cpu", "500m"));
  }

  @Test
  void downwardApiAndExpansionFollowKubernetes() {
    final Container c = container(List.of("server", "--name=$(POD_NAME)", "--x=$$(POD_NAME)", "$(UNSET)"),
        List.of(field("POD_NAME", "metadata.name"), field("POD_IP", "status.podIP"),
            value("ADDR", "$(POD_IP):7380"), value("LATER", "$(DEFINED_AFTER)"), value("DEFINED_AFTER", "x")),
        List.of());
    final PodEnvironment env = PodEnvironment.resolve(c,
        Map.of("metadata.name", "berth-1", "status.podIP", "127.9.9.10"), Map.of());
    assertEquals("berth-1", env.env().get("POD_NAME"));
    assertEquals("127.9.9.10:7380", env.env().get("ADDR"));
    // Kubernetes only expands references to variables defined earlier in the list.
    assertEquals("$(DEFINED_AFTER)", env.env().get("LATER"));
    assertEquals(List.of("server", "--name=berth-1", "--x=$(POD_NAME)", "$(UNSET)"), env.args());
  }

  @Test
  void unknownDownwardApiFieldIsAnError() {
    final Container c = container(List.of(), List.of(field("UID", "metadata.uid")), List.of());
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PodEnvironment.resolve(c, Map.of("metadata.name", "berth-0"), Map.of()));
    assertEquals(true, e.getMessage().contains("metadata.uid"));
  }

  @Test
  void mountPathsMapToVolumesOnceEvenWhenAVolumeLiesUnderAnotherMount() {
    // The data volume's directory is itself under /tmp, and /tmp is an emptyDir mount: it must not be mapped
    // a second time (that bug put the data on the scratch volume, which dies with the pod).
    final List<Mount> mounts = List.of(new Mount("data", "/var/lib/berth"), new Mount("tmp", "/tmp"));
    final Map<String, Path> volumes = Map.of("data", Path.of("/tmp/demo/volumes/data-berth-0"),
        "tmp", Path.of("/tmp/demo/pods/berth-0/tmp"));
    final Container c = container(List.of("server", "--data-dir", "/var/lib/berth", "--x=/var/lib/berth/db",
        "/var/lib/berthX"), List.of(value("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=/tmp -Dother=/tmpfoo")), mounts);
    final PodEnvironment env = PodEnvironment.resolve(c, Map.of(), volumes);
    assertEquals(List.of("server", "--data-dir", "/tmp/demo/volumes/data-berth-0",
        "--x=/tmp/demo/volumes/data-berth-0/db", "/var/lib/berthX"), env.args());
    assertEquals("-Djava.io.tmpdir=/tmp/demo/pods/berth-0/tmp -Dother=/tmpfoo", env.env().get("JAVA_TOOL_OPTIONS"));
  }

  @Test
  void resourceFieldsAreDividedAndRoundedUp() {
    final Container c = container(List.of(), List.of(), List.of());
    assertEquals("1024", PodEnvironment.resourceField(c, "limits.memory", "1Mi"));
    assertEquals("1", PodEnvironment.resourceField(c, "requests.cpu", "1"));
    assertEquals("500", PodEnvironment.resourceField(c, "requests.cpu", "1m"));
    assertThrows(IllegalArgumentException.class, () -> PodEnvironment.resourceField(c, "limits.cpu", "1"));
    assertThrows(IllegalArgumentException.class, () -> PodEnvironment.quantity("12Xi"));
  }
}
