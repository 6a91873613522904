package io.berth.cli.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every kustomization is validated, and every kustomize renders it the same way. */
class KustomizationsTest {

  @Test
  void everyKustomizationUnderK8sIsValidated() throws IOException {
    final Path k8s = Repo.path("k8s");
    try (Stream<Path> files = Files.walk(k8s)) {
      final Set<String> found = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .map(f -> "k8s/" + k8s.relativize(f.getParent()).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
      assertEquals(Cases.REPLICAS.keySet(), found, "a kustomization that Cases.REPLICAS does not list is not"
          + " validated; add it with its expected replica count");
    }
  }

  @Test
  void everyKustomizeRendersTheSameObjects() {
    final List<Kustomize> renderers = Kustomize.all();
    for (String k : Cases.REPLICAS.keySet()) {
      final Rendered first = renderers.get(0).render(k);
      for (Kustomize other : renderers.subList(1, renderers.size())) {
        assertEquals(first.objects(), other.render(k).objects(), k + ": " + first.renderer() + " and "
            + other.name() + " disagree");
      }
    }
  }
}
