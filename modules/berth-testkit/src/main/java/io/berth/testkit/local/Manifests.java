package io.berth.testkit.local;

import io.berth.testkit.local.StatefulSetSpec.Container;
import io.berth.testkit.local.StatefulSetSpec.EnvVar;
import io.berth.testkit.local.StatefulSetSpec.Mount;
import io.berth.testkit.local.StatefulSetSpec.PodManagementPolicy;
import io.berth.testkit.local.StatefulSetSpec.Probe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the project's StatefulSet and headless Service from a kustomize base ({@code k8s/base}): the
 * {@code resources} its {@code kustomization.yaml} lists, as plain files. The emulator runs exactly these
 * manifests, so a setting changed there changes what {@code berth local} and {@code berth demo} run.
 *
 * <p>Where the repository is not at hand, the copy bundled into this jar at build time is used
 * ({@link #bundled()}); it is the same files.
 */
public final class Manifests {
  /** Where the build bundles {@code k8s/base} inside the testkit jar. */
  static final String BUNDLED_BASE = "io/berth/testkit/k8s/base/";
  private static final String KUSTOMIZATION = "kustomization.yaml";

  private Manifests() {}

  /**
   * The manifests to run: {@code explicit} when given (a kustomize directory), else {@code k8s/base} of the
   * Berth checkout that holds the running command (system property {@code berth.home}, set by the
   * {@code ./berth} launcher) or the working directory, else the bundled copy.
   */
  public static StatefulSetSpec locate(Optional<Path> explicit) {
    if (explicit.isPresent()) {
      return fromDirectory(explicit.get());
    }
    final List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("berth.home")).ifPresent(h -> candidates.add(Path.of(h)));
    candidates.add(Path.of("").toAbsolutePath());
    for (Path root : candidates) {
      final Path base = root.resolve("k8s").resolve("base");
      if (Files.isRegularFile(base.resolve(KUSTOMIZATION))) {
        return fromDirectory(base);
      }
    }
    return bundled();
  }

  /** The {@code k8s/base} bundled into this jar when it was built. */
  public static StatefulSetSpec bundled() {
    return parse(read(BUNDLED_BASE, name -> {
      try (InputStream in = Manifests.class.getClassLoader().getResourceAsStream(BUNDLED_BASE + name)) {
        if (in == null) {
          throw new IllegalStateException("the bundled manifests lack " + name
              + " (this build of berth was made without k8s/base); pass --manifests DIR");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }), "bundled k8s/base");
  }

  /**
   * The manifests of the kustomize directory {@code dir} (a base made of plain resource files), or of a file
   * of rendered manifests ({@code kustomize build k8s/overlays/kind > kind.yaml}).
   */
  public static StatefulSetSpec fromDirectory(Path dir) {
    final Path abs = dir.toAbsolutePath().normalize();
    if (Files.isRegularFile(abs)) {
      final List<Map<String, Object>> docs = new ArrayList<>();
      try {
        for (Object doc : yaml().loadAll(Files.readString(abs))) {
          if (doc instanceof Map<?, ?> m) {
            docs.add(cast(m));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + abs + ": " + e.getMessage(), e);
      }
      return parse(docs, abs.toString());
    }
    if (!Files.isRegularFile(abs.resolve(KUSTOMIZATION))) {
      throw new IllegalArgumentException("no " + KUSTOMIZATION + " in " + abs + " (expected a kustomize base "
          + "such as k8s/base)");
    }
    return parse(read("", name -> {
      try {
        return Files.readString(abs.resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + abs.resolve(name) + ": " + e.getMessage(), e);
      }
    }), abs.toString());
  }

  /** Every YAML document of every resource file the kustomization lists, in order. */
  private static List<Map<String, Object>> read(String prefix, Function<String, String> files) {
    final Map<String, Object> kustomization = loadOne(files.apply(KUSTOMIZATION));
    final List<Map<String, Object>> docs = new ArrayList<>();
    for (Object resource : list(kustomization.get("resources"))) {
      final String file = String.valueOf(resource);
      if (!file.endsWith(".yaml") && !file.endsWith(".yml")) {
        throw new IllegalArgumentException("kustomization resource '" + file + "' is not a YAML file; the "
            + "emulator reads a base made of plain resource files, or a rendered file (kustomize build DIR > F.yaml)");
      }
      for (Object doc : yaml().loadAll(files.apply(file))) {
        if (doc instanceof Map<?, ?> m) {
          docs.add(cast(m));
        }
      }
    }
    return docs;
  }

  /** The StatefulSet among {@code docs}, checked against its headless Service. */
  static StatefulSetSpec parse(List<Map<String, Object>> docs, String source) {
    final List<Map<String, Object>> sets = docs.stream().filter(d -> "StatefulSet".equals(d.get("kind"))).toList();
    if (sets.size() != 1) {
      throw new IllegalArgumentException(source + ": expected exactly one StatefulSet, found " + sets.size());
    }
    final Map<String, Object> sts = sets.get(0);
    final Map<String, Object> meta = map(sts.get("metadata"));
    final Map<String, Object> spec = map(sts.get("spec"));
    final String name = str(meta.get("name"), source + ": StatefulSet without metadata.name");
    final String namespace = Optional.ofNullable(meta.get("namespace")).map(String::valueOf).orElse("default");
    final String serviceName = str(spec.get("serviceName"), source + ": StatefulSet " + name + " has no serviceName");
    final Map<String, Object> service = docs.stream()
        .filter(d -> "Service".equals(d.get("kind")) && serviceName.equals(map(d.get("metadata")).get("name")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(source + ": no Service '" + serviceName
            + "' (the StatefulSet's serviceName) among the manifests"));
    if (!"None".equals(String.valueOf(map(service.get("spec")).get("clusterIP")))) {
      throw new IllegalArgumentException(source + ": Service '" + serviceName + "' must be headless "
          + "(clusterIP: None) to give each pod its own DNS name");
    }
    final int replicas = spec.get("replicas") == null ? 1 : ((Number) spec.get("replicas")).intValue();
    final PodManagementPolicy policy = PodManagementPolicy.valueOf(
        String.valueOf(spec.getOrDefault("podManagementPolicy", "OrderedReady")));
    final Map<String, Object> podSpec = map(map(spec.get("template")).get("spec"));
    final List<Object> containers = list(podSpec.get("containers"));
    if (containers.isEmpty()) {
      throw new IllegalArgumentException(source + ": StatefulSet " + name + " has no containers");
    }
    final Set<String> emptyDirs = new HashSet<>();
    for (Object v : list(podSpec.get("volumes"))) {
      final Map<String, Object> volume = map(v);
      if (volume.containsKey("emptyDir")) {
        emptyDirs.add(String.valueOf(volume.get("name")));
      }
    }
    final List<String> claims = new ArrayList<>();
    for (Object c : list(spec.get("volumeClaimTemplates"))) {
      claims.add(str(map(map(c).get("metadata")).get("name"), source + ": volumeClaimTemplate without a name"));
    }
    final Number grace = (Number) podSpec.getOrDefault("terminationGracePeriodSeconds", 30);
    return new StatefulSetSpec(name, namespace, serviceName, replicas, policy, container(map(containers.get(0))),
        claims, emptyDirs, Duration.ofSeconds(grace.longValue()),
        Duration.ofSeconds(num(spec.get("minReadySeconds"), 0)),
        source);
  }

  private static Container container(Map<String, Object> c) {
    final List<EnvVar> env = new ArrayList<>();
    for (Object e : list(c.get("env"))) {
      final Map<String, Object> entry = map(e);
      final Map<String, Object> from = map(entry.get("valueFrom"));
      final Map<String, Object> field = map(from.get("fieldRef"));
      final Map<String, Object> resource = map(from.get("resourceFieldRef"));
      env.add(new EnvVar(String.valueOf(entry.get("name")),
          Optional.ofNullable(entry.get("value")).map(String::valueOf),
          Optional.ofNullable(field.get("fieldPath")).map(String::valueOf),
          Optional.ofNullable(resource.get("resource")).map(String::valueOf),
          Optional.ofNullable(resource.get("divisor")).map(String::valueOf)));
    }
    final List<Mount> mounts = new ArrayList<>();
    for (Object m : list(c.get("volumeMounts"))) {
      mounts.add(new Mount(String.valueOf(map(m).get("name")), String.valueOf(map(m).get("mountPath"))));
    }
    final Map<String, Integer> ports = new LinkedHashMap<>();
    for (Object p : list(c.get("ports"))) {
      final Map<String, Object> port = map(p);
      ports.put(String.valueOf(port.getOrDefault("name", port.get("containerPort"))),
          ((Number) port.get("containerPort")).intValue());
    }
    final Map<String, Object> resources = map(c.get("resources"));
    return new Container(String.valueOf(c.get("name")), strings(c.get("command")), strings(c.get("args")), env,
        mounts, ports, probe(c.get("startupProbe")), probe(c.get("readinessProbe")), probe(c.get("livenessProbe")),
        stringMap(resources.get("limits")), stringMap(resources.get("requests")));
  }

  private static Optional<Probe> probe(Object o) {
    if (o == null) {
      return Optional.empty();
    }
    final Map<String, Object> p = map(o);
    final Map<String, Object> grpc = map(p.get("grpc"));
    if (grpc.isEmpty() || !(grpc.get("port") instanceof Number port)) {
      throw new IllegalArgumentException("the emulator runs gRPC probes with a numeric port only, found: " + p);
    }
    return Optional.of(new Probe(port.intValue(), String.valueOf(grpc.getOrDefault("service", "")),
        Duration.ofSeconds(num(p.get("initialDelaySeconds"), 0)), Duration.ofSeconds(num(p.get("periodSeconds"), 10)),
        (int) num(p.get("failureThreshold"), 3)));
  }

  private static long num(Object o, long dflt) {
    return o instanceof Number n ? n.longValue() : dflt;
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static Map<String, Object> loadOne(String text) {
    final Object doc = yaml().load(text);
    return doc instanceof Map<?, ?> m ? cast(m) : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? cast(m) : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static List<String> strings(Object o) {
    return list(o).stream().map(String::valueOf).toList();
  }

  private static Map<String, String> stringMap(Object o) {
    final Map<String, String> out = new LinkedHashMap<>();
    map(o).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static String str(Object o, String error) {
    if (o == null || String.valueOf(o).isBlank()) {
      throw new IllegalArgumentException(error);
    }
    return String.valueOf(o);
  }
}
