package io.berth.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Three real {@code berth server} JVMs on loopback, each with its own data directory and log file under
 * {@code dir}, started from this JVM's class path. {@link #close()} kills whatever is still running.
 */
final class ServerProcesses implements AutoCloseable {
  private final Path dir;
  private final String peers;
  private final List<Integer> clientPorts = new ArrayList<>();
  private final Process[] processes;

  ServerProcesses(Path dir, int size) throws IOException {
    this.dir = dir;
    this.processes = new Process[size];
    final List<String> entries = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      final int client = freePort();
      clientPorts.add(client);
      entries.add(name(i) + "=127.0.0.1:" + freePort() + ":" + client);
    }
    this.peers = String.join(",", entries);
  }

  static String name(int i) {
    return "berth-" + i;
  }

  List<String> endpoints() {
    return clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  Process process(int i) {
    return processes[i];
  }

  Path log(int i) {
    return dir.resolve(name(i) + ".log");
  }

  String logText(int i) throws IOException {
    return Files.readString(log(i));
  }

  void start(int i) throws IOException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final ProcessBuilder pb = new ProcessBuilder(java, "-Dsun.net.inetaddr.ttl=5",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
        "--name", name(i), "--data-dir", dir.resolve(name(i)).toString(), "--peers", peers,
        "--bind-address", "127.0.0.1", "--admin-port", "-1")
        .redirectErrorStream(true)
        .redirectOutput(log(i).toFile());
    pb.environment().remove("BERTH_ENDPOINTS");
    processes[i] = pb.start();
  }

  void startAll() throws IOException {
    for (int i = 0; i < processes.length; i++) {
      start(i);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        try {
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
