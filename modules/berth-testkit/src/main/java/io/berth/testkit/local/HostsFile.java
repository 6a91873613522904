package io.berth.testkit.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The emulated cluster DNS: a hosts file ({@code -Djdk.net.hosts.file}) that maps every pod that has an IP to
 * its per-pod names under the headless Service, {@code <pod>.<service>.<ns>.svc.<domain>} and the shorter search
 * forms, as CoreDNS would. Rewritten atomically whenever a pod gets or loses its IP, so a JVM that caches a
 * stale address fails here exactly as it would on a cluster.
 */
final class HostsFile {
  private final Path file;
  private final String service;
  private final String namespace;
  private final String domain;

  HostsFile(Path file, String service, String namespace, String domain) {
    this.file = file;
    this.service = service;
    this.namespace = namespace;
    this.domain = domain;
  }

  Path path() {
    return file;
  }

  /** The fully qualified per-pod name. */
  String fqdn(String pod) {
    return pod + "." + service + "." + namespace + ".svc." + domain;
  }

  /** Writes the records for {@code podIps} (pod name to IP) and nothing else. */
  void write(Map<String, String> podIps) {
    final StringBuilder text = new StringBuilder("# berth local: emulated cluster DNS, rewritten on every change\n");
    text.append("127.0.0.1 localhost ").append(machineName()).append('\n');
    final SortedMap<String, String> sorted = new TreeMap<>(podIps);
    final String svc = service + "." + namespace;
    sorted.forEach((pod, ip) -> text.append(ip).append(' ').append(fqdn(pod)).append(' ')
        .append(pod).append('.').append(svc).append(".svc ")
        .append(pod).append('.').append(svc).append(' ')
        .append(pod).append('.').append(service).append('\n'));
    // The headless Service's own name answers with every pod (publishNotReadyAddresses).
    sorted.values().forEach(ip -> text.append(ip).append(' ').append(svc).append(".svc.").append(domain)
        .append('\n'));
    try {
      Files.createDirectories(file.getParent());
      final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the emulated DNS file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String machineName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost.localdomain";
    }
  }
}
