package io.berth.server.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.server.metrics.BerthMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The admin HTTP port: {@code /healthz} (200 while live), {@code /readyz} (200 when ready, else 503 with the
 * reason), for kubectl users and HTTP probes, and {@code /metrics} (Prometheus text). Plain JDK server on one small thread: it must stay up whatever
 * the gRPC ports are doing.
 */
public final class AdminHttpServer implements AutoCloseable {
  private final HttpServer server;

  public AdminHttpServer(String bindHost, int port, MemberHealth health, BerthMetrics metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(bindHost, port), 16);
    server.createContext("/healthz", ex -> respond(ex, health.live() ? 200 : 503,
        health.live() ? "ok\n" : "not live\n"));
    server.createContext("/readyz", ex -> {
      final String reason = health.notReadyReason();
      respond(ex, reason == null ? 200 : 503, reason == null ? "ok\n" : "not ready: " + reason + "\n");
    });
    server.createContext("/metrics", ex -> {
      final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
      metrics.writeText(body);
      ex.getResponseHeaders().set("Content-Type", metrics.contentType());
      ex.sendResponseHeaders(200, body.size());
      try (OutputStream out = ex.getResponseBody()) {
        body.writeTo(out);
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
