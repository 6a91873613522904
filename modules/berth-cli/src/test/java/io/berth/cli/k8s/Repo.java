package io.berth.cli.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from the test's working directory (the module) upwards. */
final class Repo {
  private Repo() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("k8s/base/kustomization.yaml")) && Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new AssertionError("cannot find the repository root (k8s/base/kustomization.yaml) above " + dir);
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }
}
