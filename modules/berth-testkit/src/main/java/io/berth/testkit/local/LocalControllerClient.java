package io.berth.testkit.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Talks to the {@link LocalController} that runs the emulated cluster under a directory. */
public final class LocalControllerClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;
  private final long pid;
  private final int port;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalControllerClient(Path dir, long pid, int port, String token) {
    this.dir = dir;
    this.pid = pid;
    this.port = port;
    this.token = token;
  }

  /** The controller running for {@code dir}, if one is. */
  public static Optional<LocalControllerClient> find(Path dir) {
    final Path file = dir.resolve(LocalController.CONTROLLER_FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      final JsonNode info = JSON.readTree(file.toFile());
      final long pid = info.path("pid").asLong();
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return Optional.of(new LocalControllerClient(dir, pid, info.path("port").asInt(),
            info.path("token").asText()));
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The controller's PID. */
  public long pid() {
    return pid;
  }

  /** GET the cluster view. */
  public View status() {
    return call("GET", "status", Map.of());
  }

  /**
   * POSTs operation {@code op} with {@code params}; returns the cluster view after it.
   *
   * @throws IllegalStateException with the controller's one-line error
   */
  public View post(String op, Map<String, String> params) {
    return call("POST", op, params);
  }

  private View call(String method, String op, Map<String, String> params) {
    final StringBuilder uri = new StringBuilder("http://127.0.0.1:" + port + "/v1/" + op);
    char sep = '?';
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    final HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
        .header("X-Berth-Token", token)
        .timeout(Duration.ofMinutes(30))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      final JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(body.path("error").asText("controller answered " + response.statusCode()));
      }
      return View.of(body);
    } catch (IOException e) {
      throw new IllegalStateException("the berth local controller (pid " + pid + ", " + dir
          + ") did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The controller's answer: the StatefulSet and its pods. */
  public record View(String statefulSet, String namespace, int replicas, String podManagementPolicy,
      String manifests, String hostsFile, String network, List<List<String>> partition, List<String> endpoints,
      List<PodStatus> pods) {
    static View of(JsonNode n) throws IOException {
      final List<String> endpoints = new ArrayList<>();
      n.path("endpoints").forEach(e -> endpoints.add(e.asText()));
      final List<PodStatus> pods = new ArrayList<>();
      for (JsonNode p : n.path("pods")) {
        pods.add(JSON.treeToValue(p, PodStatus.class));
      }
      final List<List<String>> partition = new ArrayList<>();
      for (JsonNode component : n.path("partition")) {
        final List<String> c = new ArrayList<>();
        component.forEach(pod -> c.add(pod.asText()));
        partition.add(c);
      }
      return new View(n.path("statefulSet").asText(), n.path("namespace").asText(), n.path("replicas").asInt(),
          n.path("podManagementPolicy").asText(), n.path("manifests").asText(), n.path("hostsFile").asText(),
          n.path("network").asText(), partition, endpoints, pods);
    }
  }
}
