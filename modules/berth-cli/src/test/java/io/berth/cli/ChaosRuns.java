package io.berth.cli;

import io.berth.testkit.chaos.ChaosOptions;
import io.berth.testkit.chaos.ChaosRun;
import io.berth.testkit.chaos.Fault;
import io.berth.testkit.chaos.Nemesis;
import io.berth.testkit.local.LocalStatefulSet;
import io.berth.testkit.local.Manifests;
import io.berth.testkit.local.PodCommand;
import io.berth.testkit.local.PodNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs a chaos run from a test, on pods started with a chosen main class; stops every pod afterwards. */
final class ChaosRuns {
  private ChaosRuns() {}

  static Map<String, Object> run(Path dir, String mainClass, String nemesis, Duration duration, boolean register,
      boolean set) throws Exception {
    return run(dir.resolve("cluster"), dir.resolve("report"), mainClass, nemesis, duration, register, set);
  }

  static Map<String, Object> run(Path clusterDir, Path reportDir, String mainClass, String nemesis, Duration duration,
      boolean register, boolean set) throws Exception {
    final PodCommand current = PodCommand.current();
    final PodCommand command = new PodCommand(current.java(), current.classPath(), mainClass, current.jvmOptions());
    final List<Fault> faults = Nemesis.parse(nemesis);
    final LocalStatefulSet.Builder builder = LocalStatefulSet.builder(clusterDir,
        Manifests.locate(Optional.of(Path.of("../../k8s/base")))).podCommand(command);
    if (faults.stream().anyMatch(Nemesis::needsNetworkNamespaces)) {
      builder.network(PodNetwork.namespaces()); // partitions need a namespace per pod (root), as `berth chaos run`
    }
    try (LocalStatefulSet cluster = builder.build()) {
      final ChaosOptions options = new ChaosOptions(faults, duration, 42, register, set,
          Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(120), line -> System.out.println(line));
      return new ChaosRun(cluster, options, reportDir).run();
    }
  }
}
