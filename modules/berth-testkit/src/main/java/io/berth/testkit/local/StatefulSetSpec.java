package io.berth.testkit.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of a StatefulSet (and its headless Service) that the local emulator runs: what Kubernetes would
 * do with them is what {@link LocalStatefulSet} does on loopback. Parsed from manifests by {@link Manifests}.
 *
 * @param name              StatefulSet name: pods are {@code <name>-<ordinal>}
 * @param namespace         its namespace ({@code default} when the manifest names none)
 * @param serviceName       the governing headless Service: per-pod DNS {@code <pod>.<service>.<ns>.svc.<domain>}
 * @param replicas          {@code spec.replicas}
 * @param policy            {@code spec.podManagementPolicy}
 * @param container         the member's container (the first one of the pod template)
 * @param claimTemplates    names of {@code volumeClaimTemplates}: per-pod volumes that outlive their pods
 * @param emptyDirs         names of {@code emptyDir} volumes: scratch space that lives as long as the pod
 * @param terminationGrace  {@code terminationGracePeriodSeconds}: SIGTERM, then SIGKILL after this long
 * @param minReady          {@code minReadySeconds}: how long a pod must stay Ready before a rolling update moves on
 * @param source            where the manifests were read from, for messages
 */
public record StatefulSetSpec(String name, String namespace, String serviceName, int replicas,
    PodManagementPolicy policy, Container container, List<String> claimTemplates, Set<String> emptyDirs,
    Duration terminationGrace, Duration minReady, String source) {

  public StatefulSetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(container, "container");
    claimTemplates = List.copyOf(claimTemplates);
    emptyDirs = Set.copyOf(emptyDirs);
    Objects.requireNonNull(terminationGrace, "terminationGrace");
    Objects.requireNonNull(minReady, "minReady");
    if (replicas < 0) {
      throw new IllegalArgumentException("replicas must be >= 0: " + replicas);
    }
  }

  /** {@code spec.podManagementPolicy}. */
  public enum PodManagementPolicy {
    /** Create pods in ordinal order, each only after the previous one is Ready; delete in reverse. */
    OrderedReady,
    /** Create and delete pods all at once. */
    Parallel
  }

  /** This spec with another replica count. */
  public StatefulSetSpec withReplicas(int n) {
    return new StatefulSetSpec(name, namespace, serviceName, n, policy, container, claimTemplates, emptyDirs,
        terminationGrace, minReady, source);
  }

  /** This spec with another pod management policy. */
  public StatefulSetSpec withPolicy(PodManagementPolicy p) {
    return new StatefulSetSpec(name, namespace, serviceName, replicas, p, container, claimTemplates, emptyDirs,
        terminationGrace, minReady, source);
  }

  /** The pod name for an ordinal. */
  public String podName(int ordinal) {
    return name + "-" + ordinal;
  }

  /**
   * One container of the pod template.
   *
   * @param ports  container ports by name ({@code containerPort})
   * @param limits {@code resources.limits}, as written ({@code 1Gi}, {@code 500m})
   */
  public record Container(String name, List<String> command, List<String> args, List<EnvVar> env,
      List<Mount> mounts, Map<String, Integer> ports, Optional<Probe> startupProbe, Optional<Probe> readinessProbe,
      Optional<Probe> livenessProbe, Map<String, String> limits, Map<String, String> requests) {
    public Container {
      command = List.copyOf(command);
      args = List.copyOf(args);
      env = List.copyOf(env);
      mounts = List.copyOf(mounts);
      ports = Map.copyOf(ports);
      limits = Map.copyOf(limits);
      requests = Map.copyOf(requests);
    }
  }

  /**
   * An env entry: exactly one of a literal {@code value}, a downward-API {@code fieldPath}
   * ({@code metadata.name}, ...) or a {@code resource} ({@code limits.memory}, ...) with its divisor.
   */
  public record EnvVar(String name, Optional<String> value, Optional<String> fieldPath, Optional<String> resource,
      Optional<String> divisor) {}

  /** A volume mount. */
  public record Mount(String volume, String mountPath) {}

  /**
   * A gRPC probe ({@code grpc.port}, {@code grpc.service}) with its timing.
   *
   * @param failureThreshold consecutive failures before the probe counts as failed
   */
  public record Probe(int port, String service, Duration initialDelay, Duration period, int failureThreshold) {
    /** How long the probe may keep failing before it counts as failed. */
    public Duration failureWindow() {
      return period.multipliedBy(Math.max(1, failureThreshold));
    }
  }
}
