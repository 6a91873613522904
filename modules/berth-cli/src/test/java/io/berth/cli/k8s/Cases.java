package io.berth.cli.k8s;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The kustomizations Berth ships and what each must produce; the parameter source of the manifest tests. */
final class Cases {
  /** Every kustomization under k8s/ and the member count it must render ({@code KustomizationsTest} keeps this complete). */
  static final Map<String, Integer> REPLICAS = Map.of(
      "k8s/base", 3,
      "k8s/overlays/kind", 3,
      "k8s/overlays/production", 5);

  /** The namespace the overlays deploy to, which the chaos manifests and demo scripts target. */
  static final String NAMESPACE = "berth";

  private Cases() {}

  /** Every kustomization rendered by every available kustomize. */
  static Stream<Rendered> rendered() {
    final List<Kustomize> renderers = Kustomize.all();
    return REPLICAS.keySet().stream().sorted().flatMap(k -> renderers.stream().map(r -> r.render(k)));
  }

  /** The overlays (what is applied to a cluster), rendered by every available kustomize. */
  static Stream<Rendered> overlays() {
    return rendered().filter(r -> r.kustomization().startsWith("k8s/overlays/"));
  }
}
