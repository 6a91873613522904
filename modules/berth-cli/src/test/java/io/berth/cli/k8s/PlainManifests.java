package io.berth.cli.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The YAML files applied with {@code kubectl apply -f} as they are (k8s/chaos, k8s/demo). */
final class PlainManifests {
  private PlainManifests() {}

  /** Every object of every *.yaml file in the directory, with the file name under the key {@code "#file"}. */
  static List<Map<String, Object>> in(String dir) {
    final List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(Repo.path(dir))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
          if (doc != null) {
            @SuppressWarnings("unchecked")
            final Map<String, Object> map = new java.util.LinkedHashMap<>((Map<String, Object>) doc);
            map.put("#file", dir + "/" + file.getFileName());
            objects.add(map);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (objects.isEmpty()) {
      throw new AssertionError("no manifests in " + dir);
    }
    return objects;
  }
}
