package io.berth.testkit.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The run's {@code report.html}: the verdict, the figures, each fault with its evidence, and an inline SVG
 * timeline of throughput (successful, failed and unknown calls per second) and latency (median and maximum of
 * successful calls) with the fault windows shaded. Plain HTML and SVG; no script.
 */
final class ReportHtml {
  private static final int WIDTH = 960;
  private static final int HEIGHT = 180;
  private static final int LEFT = 50;
  private static final int TOP = 14;

  private ReportHtml() {}

  static String render(Map<String, Object> result, Timeline timeline, List<Map<String, Object>> faults, long start,
      long stop) {
    final double seconds = Math.max(1, (stop - start) / 1e9);
    final int buckets = (int) Math.ceil(seconds);
    final double[] ok = new double[buckets];
    final double[] fail = new double[buckets];
    final double[] info = new double[buckets];
    final List<List<Double>> latencies = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      latencies.add(new ArrayList<>());
    }
    for (Timeline.Call c : timeline.calls()) {
      final int b = (int) ((c.end() - start) / 1_000_000_000L);
      if (b < 0 || b >= buckets) {
        continue;
      }
      switch (c.type()) {
        case ok -> {
          ok[b]++;
          latencies.get(b).add((c.end() - c.start()) / 1e6);
        }
        case fail -> fail[b]++;
        default -> info[b]++;
      }
    }
    final double[] p50 = new double[buckets];
    final double[] max = new double[buckets];
    for (int i = 0; i < buckets; i++) {
      final double[] l = latencies.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      p50[i] = l.length == 0 ? 0 : l[l.length / 2];
      max[i] = l.length == 0 ? 0 : l[l.length - 1];
    }
    final StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Berth chaos run</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;vertical-align:top}")
        .append(".valid{color:#17803d}.invalid{color:#b3261e}.unknown{color:#a15c00}")
        .append("pre{font-size:12px;white-space:pre-wrap;max-width:1100px}</style></head><body>");
    final String verdict = String.valueOf(result.get("verdict"));
    h.append("<h1>Berth chaos run: <span class=\"").append(verdict).append("\">").append(verdict.toUpperCase())
        .append("</span></h1>");
    h.append("<p>nemesis ").append(esc(result.get("nemesis"))).append(", seed ").append(result.get("seed"))
        .append(", ").append(result.get("durationSeconds")).append(" s; ").append(result.get("opsPerSec"))
        .append(" successful calls/s; longest unavailability ").append(result.get("longestUnavailabilityMillis"))
        .append(" ms; failover ").append(esc(result.get("failoverMillis"))).append(" ms</p>");
    h.append("<p>calls: ").append(esc(result.get("counts"))).append("</p>");
    for (String key : List.of("violations", "problems")) {
      if (result.get(key) instanceof List<?> l && !l.isEmpty()) {
        h.append("<p class=\"invalid\">").append(key).append(": ").append(esc(l)).append("</p>");
      }
    }
    h.append("<h2>Throughput (calls/s)</h2>");
    chart(h, faults, seconds, new double[][] {ok, fail, info}, new String[] {"#17803d", "#b3261e", "#a15c00"},
        new String[] {"ok", "fail", "info"});
    h.append("<h2>Latency of successful calls (ms)</h2>");
    chart(h, faults, seconds, new double[][] {p50, max}, new String[] {"#1f5fbf", "#9aa7b8"},
        new String[] {"median", "max"});
    h.append("<h2>Faults</h2><table><tr><th>fault</th><th>window (s)</th><th>ops/s before / during / after</th>")
        .append("<th>first ack'd write (ms)</th><th>longest gap (ms)</th><th>evidence</th></tr>");
    for (Map<String, Object> f : faults) {
      h.append("<tr><td>").append(esc(f.get("name"))).append("</td><td>")
          .append(secs(f.get("startMillis"))).append(" - ").append(secs(f.get("endMillis"))).append("</td><td>")
          .append(f.get("opsPerSecBefore")).append(" / ").append(f.get("opsPerSecDuring")).append(" / ")
          .append(f.get("opsPerSecAfter")).append("</td><td>").append(f.get("firstAcknowledgedWriteMillis"))
          .append("</td><td>").append(f.get("longestUnavailabilityMillis")).append("</td><td><pre>start: ")
          .append(esc(f.get("start"))).append("\nheal: ").append(esc(f.get("heal"))).append("</pre></td></tr>");
    }
    h.append("</table><h2>Replicas</h2><pre>").append(esc(result.get("replicas"))).append("</pre>");
    h.append("<h2>Check</h2><pre>").append(esc(result.get("check"))).append("</pre></body></html>\n");
    return h.toString();
  }

  private static void chart(StringBuilder h, List<Map<String, Object>> faults, double seconds, double[][] series,
      String[] colors, String[] names) {
    final double top = Math.max(1, Arrays.stream(series).flatMapToDouble(Arrays::stream).max().orElse(1)) * 1.1;
    final int w = WIDTH - LEFT - 10;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT + 40).append("\" font-size=\"11\">");
    for (Map<String, Object> f : faults) {
      final double x0 = LEFT + w * (num(f.get("startMillis")) / 1000.0) / seconds;
      final double x1 = LEFT + w * (num(f.get("endMillis")) / 1000.0) / seconds;
      h.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f4c7c3\" "
          + "opacity=\"0.6\"><title>%s</title></rect>", x0, TOP, Math.max(1, x1 - x0), HEIGHT, esc(f.get("name"))));
      h.append(String.format("<text x=\"%.1f\" y=\"%d\" fill=\"#7a271a\">%s</text>", x0 + 2, TOP + 10,
          esc(f.get("name"))));
    }
    h.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", LEFT, TOP + HEIGHT,
        LEFT + w, TOP + HEIGHT));
    h.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", LEFT, TOP, LEFT,
        TOP + HEIGHT));
    for (int i = 0; i <= 4; i++) {
      final double v = top * i / 4;
      final double y = TOP + HEIGHT - HEIGHT * i / 4.0;
      h.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>", LEFT - 4, y + 4, v));
    }
    final int step = Math.max(1, (int) Math.ceil(seconds / 12));
    for (int s = 0; s <= seconds; s += step) {
      h.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%ds</text>", LEFT + w * s / seconds,
          TOP + HEIGHT + 14, s));
    }
    for (int k = 0; k < series.length; k++) {
      final StringBuilder points = new StringBuilder();
      for (int i = 0; i < series[k].length; i++) {
        points.append(String.format("%.1f,%.1f ", LEFT + w * (i + 0.5) / seconds,
            TOP + HEIGHT - HEIGHT * series[k][i] / top));
      }
      h.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(colors[k]).append("\" points=\"")
          .append(points).append("\"/>");
      h.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", LEFT + 10 + 70 * k,
          TOP + HEIGHT + 32, colors[k], names[k]));
    }
    h.append("</svg>");
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  private static String secs(Object millis) {
    return String.format("%.1f", num(millis) / 1000);
  }

  private static String esc(Object o) {
    return String.valueOf(o).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
