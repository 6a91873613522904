package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.server.BerthServer;
import io.berth.server.api.Limits;
import io.berth.server.identity.Environment;
import io.berth.server.identity.MemberConfig;
import io.berth.server.identity.MemberOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real single-member Berth server (Raft, RocksDB, the gRPC API) on loopback. */
class RealServerEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyClientCommandAgainstARealMember(@TempDir Path dataDir) throws Exception {
    final int peerPort = freePort();
    final int clientPort = freePort();
    final MemberConfig member = MemberConfig.resolve(MemberOptions.builder().name("berth-0")
        .peers("berth-0=127.0.0.1:" + peerPort + ":" + clientPort).build(), Environment.of(Map.of(), "localhost"));
    final List<String> fatal = new CopyOnWriteArrayList<>();
    try (BerthServer server = BerthServer.start(BerthServer.Options.of(member, dataDir).withBindHost("127.0.0.1")
        .withAdminPort(-1).withLimits(new Limits(Limits.DEFAULT_MAX_KEY_BYTES, 16))
        .withFatal((what, cause) -> fatal.add(what + ": " + cause)))) {
      final String endpoints = "--endpoints=127.0.0.1:" + server.clientPort();

      // The first write waits out the election (the client retries UNAVAILABLE within --timeout).
      ok(run(endpoints, "put", "app/a", "1", "--timeout", "60s"), "OK\n");
      ok(run(endpoints, "put", "app/b", "2"), "OK\n");
      ok(run(endpoints, "get", "app/a"), "1\n");
      ok(run(endpoints, "get", "app/a", "--serializable"), "1\n");

      final JsonNode got = JSON.readTree(run(endpoints, "get", "app/b", "-o", "json").out());
      assertEquals(List.of("key", "value", "createRevision", "modRevision", "version", "revision"), names(got));
      assertEquals("2", got.get("value").asText());
      assertEquals(1, got.get("version").asLong());

      final Cli.Result mismatch = run(endpoints, "cas", "app/a", "--expect-version", "7", "x");
      assertEquals(1, mismatch.exitCode(), mismatch::toString);
      assertTrue(mismatch.err().startsWith("berth cas: compare failed: expected version 7, but key 'app/a' is at "
          + "version 1"), mismatch::toString);
      ok(run(endpoints, "cas", "app/a", "--expect-version", "1", "one"), "OK\n");
      ok(run(endpoints, "cas", "app/new", "--expect-version", "0", "fresh"), "OK\n");

      ok(run(endpoints, "scan", "--prefix", "app/"), "KEY      VALUE\napp/a    one\napp/b    2\napp/new  fresh\n");
      ok(run(endpoints, "scan", "--prefix", "app/", "--count-only"), "3\n");
      ok(run(endpoints, "del", "app/b"), "1\n");
      ok(run(endpoints, "del", "app/b"), "0\n");
      assertEquals(1, run(endpoints, "get", "app/b").exitCode());

      final Cli.Result tooLarge = run(endpoints, "put", "k", "x".repeat(17));
      assertEquals(2, tooLarge.exitCode(), tooLarge::toString);
      assertTrue(tooLarge.err().startsWith("berth put: value too large: 17 bytes, the limit is 16 bytes"),
          tooLarge::toString);

      final Cli.Result status = run(endpoints, "status", "-o", "json");
      assertEquals(0, status.exitCode(), status::toString);
      final JsonNode root = JSON.readTree(status.out());
      assertEquals(List.of("leader", "term", "members"), names(root));
      assertEquals("berth-0", root.get("leader").asText());
      final JsonNode self = root.get("members").get(0);
      assertEquals("berth-0", self.get("name").asText());
      assertEquals("LEADER", self.get("role").asText());
      assertTrue(self.get("healthy").asBoolean(), status::toString);
      assertTrue(self.get("appliedIndex").asLong() > 0, status::toString);
      for (String key : List.of("raftAddress", "clientAddress", "commitIndex")) {
        assertTrue(self.has(key), key);
      }
      final Cli.Result table = run(endpoints, "status");
      assertEquals(0, table.exitCode(), table::toString);
      assertTrue(table.out().startsWith("leader: berth-0  term: "), table::toString);
    }
    assertEquals(List.of(), fatal);
  }

  private static Cli.Result run(String endpoints, String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.add(endpoints);
    return Cli.run(all.toArray(String[]::new));
  }

  private static void ok(Cli.Result r, String out) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(out, r.out(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  private static List<String> names(JsonNode node) {
    final List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
