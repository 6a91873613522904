package io.berth.testkit.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The emulator's control plane: one long-lived process per {@code --dir} that owns the pods (it restarts
 * crashed ones, as the kubelet does) and answers the other {@code berth local} invocations over HTTP on
 * {@code 127.0.0.1} (port and a random token in {@code <dir>/controller.json}, readable by its owner only).
 * Events go to {@code <dir>/events.log}.
 */
public final class LocalController implements AutoCloseable {
  /** The file through which other invocations find the controller. */
  public static final String CONTROLLER_FILE = "controller.json";
  /** The event log other invocations tail for progress. */
  public static final String EVENTS_FILE = "events.log";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalStatefulSet cluster;
  private final HttpServer http;
  private final String token = UUID.randomUUID().toString();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Path dir;

  private LocalController(Path dir, StatefulSetSpec spec, PodCommand command, PodNetwork network)
      throws IOException {
    this.dir = dir.toAbsolutePath().normalize();
    Files.createDirectories(this.dir);
    final Path events = this.dir.resolve(EVENTS_FILE);
    this.cluster = LocalStatefulSet.builder(this.dir, spec).podCommand(command).network(network)
        .events(e -> appendEvent(events, e)).build();
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.setExecutor(Executors.newFixedThreadPool(4, r -> {
      final Thread t = new Thread(r, "berth-local-api");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/v1/", this::handle);
  }

  /** Starts a controller for {@code spec} under {@code dir} and publishes its address. */
  public static LocalController start(Path dir, StatefulSetSpec spec, PodCommand command, PodNetwork network)
      throws IOException {
    final LocalController c = new LocalController(dir, spec, command, network);
    c.http.start();
    final Map<String, Object> info = new LinkedHashMap<>();
    info.put("pid", ProcessHandle.current().pid());
    info.put("port", c.http.getAddress().getPort());
    info.put("token", c.token);
    info.put("startedAt", Instant.now().toString());
    final Path tmp = c.dir.resolve(CONTROLLER_FILE + ".tmp");
    Files.writeString(tmp, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the token is only as private as the directory.
    }
    JSON.writeValue(tmp.toFile(), info);
    Files.move(tmp, c.dir.resolve(CONTROLLER_FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    return c;
  }

  /** The emulated StatefulSet this controller runs. */
  public LocalStatefulSet cluster() {
    return cluster;
  }

  /** Blocks until a {@code down} request (or {@link #close}) stopped the controller. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      http.stop(0);
      try {
        Files.deleteIfExists(dir.resolve(CONTROLLER_FILE));
      } catch (IOException e) {
        // Left behind: the next invocation sees that its pid is gone.
      }
      stopped.countDown();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!token.equals(ex.getRequestHeaders().getFirst("X-Berth-Token"))) {
        reply(ex, 403, Map.of("error", "wrong or missing token (see " + CONTROLLER_FILE + ")"));
        return;
      }
      final String op = ex.getRequestURI().getPath().substring("/v1/".length());
      final Map<String, String> q = query(ex.getRequestURI().getRawQuery());
      final boolean post = "POST".equals(ex.getRequestMethod());
      if (!post && !op.equals("status")) {
        reply(ex, 405, Map.of("error", "use POST for " + op));
        return;
      }
      try {
        final Duration timeout = Duration.ofSeconds(Long.parseLong(q.getOrDefault("timeoutSeconds", "300")));
        switch (op) {
          case "status" -> { }
          case "up" -> cluster.up(timeout);
          case "delete" -> cluster.deletePod(pod(q), Optional.ofNullable(q.get("graceSeconds"))
              .map(s -> Duration.ofSeconds(Long.parseLong(s))));
          case "kill" -> cluster.kill(pod(q), !"false".equals(q.get("restart")));
          case "start" -> cluster.start(pod(q));
          case "pause" -> cluster.pause(pod(q));
          case "resume" -> cluster.resume(pod(q));
          case "scale" -> cluster.scale(Integer.parseInt(required(q, "replicas")), timeout);
          case "rollout-restart" -> cluster.rollingRestart(timeout);
          case "delete-volume" -> cluster.deleteVolume(pod(q));
          case "partition" -> cluster.partition(components(required(q, "components")));
          case "heal" -> cluster.heal();
          case "down" -> {
            cluster.down("true".equals(q.get("deleteVolumes")));
            reply(ex, 200, view());
            final Thread stop = new Thread(this::close, "berth-local-stop");
            stop.start();
            return;
          }
          default -> {
            reply(ex, 404, Map.of("error", "unknown operation " + op));
            return;
          }
        }
        reply(ex, 200, view());
      } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException
          | UnsupportedOperationException e) {
        reply(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
      } catch (RuntimeException e) {
        reply(ex, 500, Map.of("error", e.toString()));
      }
    }
  }

  private Map<String, Object> view() {
    final Map<String, Object> v = new LinkedHashMap<>();
    final StatefulSetSpec spec = cluster.spec();
    v.put("statefulSet", spec.name());
    v.put("namespace", spec.namespace());
    v.put("replicas", spec.replicas());
    v.put("podManagementPolicy", spec.policy().name());
    v.put("manifests", spec.source());
    v.put("hostsFile", cluster.hostsFile().toString());
    v.put("network", cluster.networkMode());
    v.put("partition", cluster.currentPartition());
    v.put("endpoints", cluster.endpoints());
    v.put("pods", cluster.status());
    return v;
  }

  /** {@code berth-0,berth-1;berth-2}: components separated by {@code ;}, pods by {@code ,}. */
  static List<Set<String>> components(String text) {
    final List<Set<String>> out = new ArrayList<>();
    for (String component : text.split(";")) {
      final Set<String> pods = new LinkedHashSet<>();
      for (String pod : component.split(",")) {
        if (!pod.isBlank()) {
          pods.add(pod.trim());
        }
      }
      if (!pods.isEmpty()) {
        out.add(pods);
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("a partition needs at least two groups of pods, e.g. berth-0,berth-1 "
          + "berth-2");
    }
    return out;
  }

  private static String pod(Map<String, String> q) {
    return required(q, "pod");
  }

  private static String required(Map<String, String> q, String name) {
    final String v = q.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing parameter " + name);
    }
    return v;
  }

  private static Map<String, String> query(String raw) {
    final Map<String, String> q = new HashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      final int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static void reply(HttpExchange ex, int code, Object body) throws IOException {
    final byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static synchronized void appendEvent(Path file, String event) {
    try {
      Files.writeString(file, Instant.now() + " " + event + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("berth local: cannot write " + file + ": " + e.getMessage());
    }
  }
}
