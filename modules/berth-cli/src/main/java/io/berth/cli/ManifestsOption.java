package io.berth.cli;

import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.StatefulSetSpec;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --manifests}: which StatefulSet the local emulator runs. */
final class ManifestsOption {
  @Option(names = "--manifests", paramLabel = "DIR|FILE",
      description = "The kustomize base to run, or a file of rendered manifests (kustomize build DIR > F.yaml); "
          + "default: k8s/base of this checkout, else the copy built into berth.")
  Path manifests;

  /** The StatefulSet to run, read now so that a bad manifest fails here with its own message. */
  StatefulSetSpec load() {
    return Manifests.locate(Optional.ofNullable(manifests));
  }

  /** The absolute path given, or empty for the default. */
  String given() {
    return manifests == null ? "" : manifests.toAbsolutePath().toString();
  }
}
