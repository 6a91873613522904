package io.berth.testkit.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pod IPs on loopback: one {@code 127.a.b.0/24} per emulated cluster, chosen at random so that clusters run in
 * parallel (tests, several users) do not collide, and a new host number for every pod that is scheduled, so a
 * rescheduled pod always comes back with a different IP. An address whose ports are already taken is skipped.
 */
final class LoopbackIps {
  private final String prefix;
  private int next;

  LoopbackIps(String prefix, int next) {
    this.prefix = prefix;
    this.next = next;
  }

  /** A fresh random {@code 127.a.b.} prefix. */
  static LoopbackIps random() {
    final ThreadLocalRandom r = ThreadLocalRandom.current();
    return new LoopbackIps("127." + r.nextInt(64, 192) + "." + r.nextInt(1, 255) + ".", 10);
  }

  String prefix() {
    return prefix;
  }

  int next() {
    return next;
  }

  /** The next address on which every one of {@code ports} is free. */
  synchronized String allocate(List<Integer> ports) {
    for (int tries = 0; tries < 240; tries++) {
      if (next > 250) {
        next = 10;
      }
      final String ip = prefix + next++;
      if (free(ip, ports)) {
        return ip;
      }
    }
    throw new IllegalStateException("no free pod IP left in " + prefix + "0/24");
  }

  private static boolean free(String ip, List<Integer> ports) {
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(ip), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
