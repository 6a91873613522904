package io.berth.cli.k8s;

import static io.berth.cli.k8s.Yamls.at;
import static io.berth.cli.k8s.Yamls.list;
import static io.berth.cli.k8s.Yamls.map;
import static io.berth.cli.k8s.Yamls.named;
import static io.berth.cli.k8s.Yamls.str;

import java.util.List;
import java.util.Map;

/**
 * The objects one kustomization renders to, with accessors for the ones Berth ships.
 *
 * @param kustomization the directory, relative to the repository root (e.g. {@code k8s/overlays/kind})
 * @param renderer      which kustomize rendered it
 * @param objects       the rendered objects, in order
 */
record Rendered(String kustomization, String renderer, List<Map<String, Object>> objects) {
  static final String STATEFUL_SET = "berth";
  static final String CONTAINER = "berth";

  List<Map<String, Object>> all(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  Map<String, Object> one(String kind, String name) {
    final List<Map<String, Object>> found = all(kind).stream().filter(o -> name.equals(at(o, "metadata", "name")))
        .toList();
    if (found.size() != 1) {
      throw new AssertionError(kustomization + " renders " + found.size() + " " + kind + " named '" + name
          + "', expected exactly one");
    }
    return found.get(0);
  }

  Map<String, Object> statefulSet() {
    return one("StatefulSet", STATEFUL_SET);
  }

  Map<String, Object> podTemplate() {
    return map(statefulSet(), "spec", "template");
  }

  Map<String, Object> podSpec() {
    return map(podTemplate(), "spec");
  }

  Map<String, String> podLabels() {
    return Yamls.strings(podTemplate(), "metadata", "labels");
  }

  /** The member container: the first container, which must be named {@value #CONTAINER}. */
  Map<String, Object> container() {
    final Map<String, Object> first = map(list(podSpec(), "containers").get(0));
    if (!CONTAINER.equals(first.get("name"))) {
      throw new AssertionError("the StatefulSet's first container is '" + first.get("name") + "', expected '"
          + CONTAINER + "' (the emulator and the kustomize replacements rely on the name)");
    }
    return first;
  }

  int replicas() {
    return Yamls.integer(statefulSet(), "spec", "replicas");
  }

  /** The namespace the objects land in; {@code default} when the kustomization sets none. */
  String namespace() {
    final Object ns = at(statefulSet(), "metadata", "namespace");
    return ns == null ? "default" : (String) ns;
  }

  /** The container port with this name. */
  int containerPort(String name) {
    return Yamls.integer(named(list(container(), "ports"), name), "containerPort");
  }

  /** The container's volume mount at {@code path}, or {@code null}. */
  Map<String, Object> mountAt(String path) {
    return Yamls.listOrEmpty(container(), "volumeMounts").stream().map(Yamls::map)
        .filter(m -> path.equals(m.get("mountPath"))).findFirst().orElse(null);
  }

  /** The container's volume mount of the volume (or claim template) {@code name}, or {@code null}. */
  Map<String, Object> mountOf(String name) {
    return Yamls.listOrEmpty(container(), "volumeMounts").stream().map(Yamls::map)
        .filter(m -> name.equals(m.get("name"))).findFirst().orElse(null);
  }

  String serviceName() {
    return str(statefulSet(), "spec", "serviceName");
  }

  @Override
  public String toString() {
    return kustomization + " (" + renderer + ")";
  }
}
