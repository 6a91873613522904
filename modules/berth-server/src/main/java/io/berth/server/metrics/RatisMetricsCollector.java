package io.berth.server.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.dropwizard3.Dm3RatisMetricRegistryImpl;

/**
 * Ratis' own metrics, read at scrape time from its Dropwizard 3 registries ({@code ratis-metrics-dropwizard3}).
 *
 * <p>Ratis keeps one registry per component and division (prefix {@code berth-0@group-...}), created and removed
 * as divisions start and stop, so the registries are looked up on every scrape rather than bridged once. A metric
 * {@code ratis.<component>.<prefix>.<name>} becomes {@code ratis_<component>_<name>} with the label
 * {@code division="<prefix>"} (and {@code peer} when the name held a peer id); only this member's registries are
 * exported (several members may share a JVM
 * in tests). Gauges with a non-numeric value are skipped. Dropwizard counters can go down in Ratis (pending
 * request counts), so they are exported as gauges; meters as counters; timers as summaries in seconds (the
 * Dropwizard quantiles of its recent-values reservoir; no sum, which Dropwizard does not keep).
 */
final class RatisMetricsCollector implements MultiCollector {
  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private final String self;
  private final List<String> peers;

  /**
   * @param self  this member's Raft peer id: registries of other members (same JVM in tests) are left out
   * @param peers every member's peer id: a Ratis metric named after a peer ({@code follower_berth-1_match_index})
   *              is exported without it, with the label {@code peer="berth-1"}
   */
  RatisMetricsCollector(String self, Collection<String> peers) {
    this.self = self;
    this.peers = peers.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  /**
   * This member's divisions ({@code berth-0@group-...}) and its server-wide registries ({@code berth-0}). Client
   * registries ({@code client-<random id>->berth-1}) are left out: their names carry a random client id.
   */
  private boolean own(String prefix) {
    return prefix.equals(self) || prefix.startsWith(self + "@");
  }

  @Override
  public MetricSnapshots collect() {
    final Map<String, List<Object>> byName = new TreeMap<>();
    final Map<String, Metric> kinds = new TreeMap<>();
    for (RatisMetricRegistry registry : MetricRegistries.global().getMetricRegistries()) {
      if (!(registry instanceof Dm3RatisMetricRegistryImpl dm3)) {
        continue;
      }
      final MetricRegistryInfo info = registry.getMetricRegistryInfo();
      if (!own(info.getPrefix())) {
        continue;
      }
      final String dwPrefix = info.getApplicationName() + "." + info.getMetricsComponentName() + "."
          + info.getPrefix() + ".";
      final Labels division = Labels.of("division", info.getPrefix());
      for (Map.Entry<String, Metric> e : dm3.getDropWizardMetricRegistry().getMetrics().entrySet()) {
        String shortName = e.getKey().startsWith(dwPrefix) ? e.getKey().substring(dwPrefix.length()) : e.getKey();
        Labels labels = division;
        for (String peer : peers) {
          final int at = ("_" + shortName + "_").indexOf("_" + peer + "_");
          if (at >= 0) {
            shortName = (shortName.substring(0, at) + shortName.substring(Math.min(shortName.length(),
                at + peer.length() + 1))).replaceAll("^_|_$", "");
            labels = division.add("peer", peer);
            break;
          }
        }
        final String name = PrometheusNaming.sanitizeMetricName(
            "ratis_" + info.getMetricsComponentName() + "_" + shortName);
        final Object point = point(e.getValue(), labels);
        if (point == null) {
          continue;
        }
        final Metric kind = kinds.putIfAbsent(name, e.getValue());
        if (kind != null && !sameKind(kind, e.getValue())) {
          continue; // two Ratis metrics of different types sanitize to one name: keep the first
        }
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(point);
      }
    }
    final List<MetricSnapshot> snapshots = new ArrayList<>();
    byName.forEach((name, points) -> snapshots.add(snapshot(name, kinds.get(name), points)));
    return new MetricSnapshots(snapshots);
  }

  private static boolean sameKind(Metric a, Metric b) {
    return kind(a) == kind(b);
  }

  private static int kind(Metric m) {
    return m instanceof Meter ? 1 : m instanceof Timer || m instanceof Histogram ? 2 : 0;
  }

  private static Object point(Metric metric, Labels labels) {
    if (metric instanceof Gauge<?> g) {
      final Object value;
      try {
        value = g.getValue();
      } catch (RuntimeException e) {
        return null; // a gauge of a division that is shutting down
      }
      return value instanceof Number n ? GaugeDataPointSnapshot.builder().value(n.doubleValue()).labels(labels).build()
          : value instanceof Boolean b ? GaugeDataPointSnapshot.builder().value(b ? 1 : 0).labels(labels).build()
          : null;
    }
    if (metric instanceof Counter c) {
      return GaugeDataPointSnapshot.builder().value(c.getCount()).labels(labels).build();
    }
    if (metric instanceof Meter m) {
      return CounterDataPointSnapshot.builder().value(m.getCount()).labels(labels).build();
    }
    if (metric instanceof Timer t) {
      return summary(t.getCount(), t.getSnapshot(), 1e-9, labels);
    }
    if (metric instanceof Histogram h) {
      return summary(h.getCount(), h.getSnapshot(), 1, labels);
    }
    return null;
  }

  private static SummaryDataPointSnapshot summary(long count, Snapshot s, double scale, Labels labels) {
    final Quantiles.Builder q = Quantiles.builder();
    for (double quantile : QUANTILES) {
      q.quantile(new Quantile(quantile, s.getValue(quantile) * scale));
    }
    return SummaryDataPointSnapshot.builder().count(count).quantiles(q.build()).labels(labels).build();
  }

  private static MetricSnapshot snapshot(String name, Metric kind, List<Object> points) {
    switch (kind(kind)) {
      case 1 -> {
        final CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help("Ratis meter " + name);
        points.forEach(p -> b.dataPoint((CounterDataPointSnapshot) p));
        return b.build();
      }
      case 2 -> {
        final boolean timer = kind instanceof Timer;
        final SummarySnapshot.Builder b = SummarySnapshot.builder().name(timer ? name + "_seconds" : name)
            .help("Ratis " + (timer ? "timer" : "histogram") + " " + name);
        points.forEach(p -> b.dataPoint((SummaryDataPointSnapshot) p));
        return b.build();
      }
      default -> {
        final GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help("Ratis gauge " + name);
        points.forEach(p -> b.dataPoint((GaugeDataPointSnapshot) p));
        return b.build();
      }
    }
  }
}
