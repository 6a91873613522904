package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.proto.v1.Consistency;
import io.berth.proto.v1.GetRequest;
import io.berth.proto.v1.ScanRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** put/get/del/scan/cas/status over the network against {@link FakeBerthServer}: output and exit codes. */
class ClientCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private FakeBerthServer server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeBerthServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Cli.Result berth(String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints=" + server.endpoint());
    return Cli.run(all.toArray(String[]::new));
  }

  private void ok(Cli.Result r, String out) {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(out, r.out(), r::toString);
    assertEquals("", r.err(), r::toString);
  }

  @Test
  void putPrintsOkAndGetPrintsTheValueAlone() {
    ok(berth("put", "greeting", "hello world"), "OK\n");
    ok(berth("get", "greeting"), "hello world\n");
  }

  @Test
  void endpointsMayAlsoComeBeforeTheCommandName() {
    ok(Cli.run("--endpoints", server.endpoint(), "put", "global", "yes"), "OK\n");
    ok(Cli.run("--endpoints=" + server.endpoint(), "get", "global"), "yes\n");
    // The command's own --endpoints wins over the global one.
    ok(Cli.run("--endpoints", "127.0.0.1:1", "get", "global", "--endpoints", server.endpoint()), "yes\n");
  }

  @Test
  void getAndPutInJson() {
    ok(berth("put", "k", "v1", "-o", "json"),
        "{\"key\":\"k\",\"value\":\"v1\",\"createRevision\":1,\"modRevision\":1,\"version\":1,\"revision\":1}\n");
    berth("put", "k", "v2");
    ok(berth("get", "k", "-o", "json"),
        "{\"key\":\"k\",\"value\":\"v2\",\"createRevision\":1,\"modRevision\":2,\"version\":2,\"revision\":2}\n");
  }

  @Test
  void getOfAMissingKeyExitsOneWithNothingOnStdout() {
    final Cli.Result r = berth("get", "missing", "-o", "json");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals("berth get: key 'missing' not found\n", r.err());
  }

  @Test
  void serializableGetAsksForIt() {
    berth("get", "k", "--serializable");
    berth("get", "k");
    assertEquals(List.of(Consistency.SERIALIZABLE, Consistency.LINEARIZABLE),
        server.received(GetRequest.class).stream().map(GetRequest::getConsistency).toList());
  }

  @Test
  void utf8KeysAndValuesRoundTrip() {
    ok(berth("put", "ключ", "värde ✓"), "OK\n");
    ok(berth("get", "ключ"), "värde ✓\n");
  }

  @Test
  void delPrintsHowManyKeysItDeleted() {
    berth("put", "k", "v");
    ok(berth("del", "k"), "1\n");
    ok(berth("del", "k"), "0\n");
    ok(berth("del", "k", "-o", "json"), "{\"key\":\"k\",\"deleted\":0,\"revision\":2}\n");
  }

  @Test
  void scanPrintsAnAlignedTable() {
    berth("put", "app/a", "1");
    berth("put", "app/bbbb", "two\nlines");
    berth("put", "other", "x");
    ok(berth("scan", "--prefix", "app/"), "KEY       VALUE\napp/a     1\napp/bbbb  two\\nlines\n");
    ok(berth("scan", "--prefix", "app/", "--keys-only"), "KEY\napp/a\napp/bbbb\n");
    ok(berth("scan", "--prefix", "app/", "--count-only"), "2\n");
    ok(berth("scan", "--prefix", "app/", "--limit", "1"),
        "KEY    VALUE\napp/a  1\n(1 of 2 keys; raise --limit to see more)\n");
    ok(berth("scan", "--prefix", "nothing/"), "(no keys)\n");
    ok(berth("scan", "--from", "app/b", "--to", "p"), "KEY       VALUE\napp/bbbb  two\\nlines\nother     x\n");
    ok(berth("scan", "--prefix", ""), "KEY       VALUE\napp/a     1\napp/bbbb  two\\nlines\nother     x\n");
  }

  @Test
  void scanInJson() {
    berth("put", "a/1", "x");
    berth("put", "a/2", "y");
    ok(berth("scan", "--prefix", "a/", "--limit", "1", "-o", "json"),
        "{\"revision\":2,\"count\":2,\"more\":true,\"kvs\":[{\"key\":\"a/1\",\"value\":\"x\",\"createRevision\":1,"
            + "\"modRevision\":1,\"version\":1}]}\n");
    ok(berth("scan", "--prefix", "a/", "--keys-only", "-o", "json"),
        "{\"revision\":2,\"count\":2,\"more\":false,\"kvs\":[{\"key\":\"a/1\",\"createRevision\":1,"
            + "\"modRevision\":1,\"version\":1},{\"key\":\"a/2\",\"createRevision\":2,\"modRevision\":2,"
            + "\"version\":1}]}\n");
    ok(berth("scan", "--prefix", "a/", "--count-only", "-o", "json"),
        "{\"revision\":2,\"count\":2,\"more\":false,\"kvs\":[]}\n");
  }

  @Test
  void scanSendsItsOptions() {
    berth("scan", "--from", "a", "--limit", "5", "--keys-only", "--serializable");
    final ScanRequest sent = server.received(ScanRequest.class).get(0);
    assertEquals("a", sent.getStart().toStringUtf8());
    assertEquals("", sent.getEnd().toStringUtf8());
    assertEquals(5, sent.getLimit());
    assertTrue(sent.getKeysOnly());
    assertEquals(Consistency.SERIALIZABLE, sent.getConsistency());
  }

  @Test
  void casSwapsWhenTheVersionMatches() {
    berth("put", "k", "v1");
    ok(berth("cas", "k", "--expect-version", "1", "v2"), "OK\n");
    ok(berth("get", "k"), "v2\n");
    ok(berth("cas", "new", "--expect-version", "0", "created"), "OK\n");
    ok(berth("cas", "k", "--expect-value", "v2", "v3"), "OK\n");
    ok(berth("cas", "k", "--expect-mod-revision", "4", "--delete", "-o", "json"),
        "{\"succeeded\":true,\"revision\":5,\"kv\":null}\n");
    assertEquals(1, berth("get", "k").exitCode());
  }

  @Test
  void casMismatchExitsOneAndShowsTheCurrentState() {
    berth("put", "k", "v1");
    berth("put", "k", "v2");
    final Cli.Result r = berth("cas", "k", "--expect-version", "1", "v3");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals("berth cas: compare failed: expected version 1, but key 'k' is at version 2, mod revision 2, "
        + "value 'v2'\n", r.err());
    final Cli.Result missing = berth("cas", "nope", "--expect-value", "x", "y", "-o", "json");
    assertEquals(1, missing.exitCode(), missing::toString);
    assertEquals("{\"succeeded\":false,\"revision\":2,\"kv\":null}\n", missing.out());
    assertEquals("berth cas: compare failed: expected value 'x', but key 'nope' does not exist\n", missing.err());
  }

  @Test
  void statusPrintsLeaderTermAndAnAlignedTable() {
    ok(berth("status"), String.join("\n",
        "leader: berth-0  term: 3  elected 1.2s ago  (answered by berth-0)",
        "NAME     ROLE      RAFT            CLIENT          COMMIT  APPLIED  LAG  IN-ROLE  HEALTHY",
        "berth-0  LEADER    127.0.0.1:7380  127.0.0.1:7379  42      42       0    1.2s     true",
        "berth-1  FOLLOWER  127.0.0.1:7390  127.0.0.1:7389  42      41       1    1.2s     true",
        "berth-2  UNKNOWN   127.0.0.1:7400  127.0.0.1:7399  0       0        -    -        false",
        ""));
  }

  @Test
  void statusJsonHasExactlyTheDesignShape() throws Exception {
    final Cli.Result r = berth("status", "-o", "json");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(1, r.out().lines().count(), "one line of JSON");
    final JsonNode root = JSON.readTree(r.out());
    assertEquals(List.of("leader", "term", "members"), fieldNames(root));
    assertEquals("berth-0", root.get("leader").asText());
    assertEquals(3, root.get("term").asLong());
    final JsonNode follower = root.get("members").get(1);
    assertEquals(List.of("name", "role", "raftAddress", "clientAddress", "commitIndex", "appliedIndex", "healthy",
        "term", "leader", "revision", "roleElapsedMs", "lag"), fieldNames(follower));
    assertEquals(1, follower.get("lag").asLong(), "the leader's commit index 42 minus the applied index 41");
    assertEquals(0, root.get("members").get(0).get("lag").asLong());
    assertTrue(root.get("members").get(2).get("lag").isNull(), "no lag for a member that did not answer");
    assertEquals("berth-1", follower.get("name").asText());
    assertEquals("FOLLOWER", follower.get("role").asText());
    assertEquals("127.0.0.1:7390", follower.get("raftAddress").asText());
    assertEquals("127.0.0.1:7389", follower.get("clientAddress").asText());
    assertEquals(42, follower.get("commitIndex").asLong());
    assertEquals(41, follower.get("appliedIndex").asLong());
    assertTrue(follower.get("healthy").asBoolean());
    final JsonNode silent = root.get("members").get(2);
    assertEquals("UNKNOWN", silent.get("role").asText());
    assertTrue(silent.get("leader").isNull());
  }

  @Test
  void aRejectedRequestIsAUsageErrorWithTheServersMessage() {
    final Cli.Result r = berth("put", "k", "x".repeat(FakeBerthServer.MAX_VALUE_BYTES + 1));
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals("berth put: value too large: 65 bytes, the limit is 64 (--max-value-bytes)\n", r.err());
  }

  @Test
  void everyClientCommandDocumentsItsOutputAndExitCodes() {
    for (String command : List.of("put", "get", "del", "scan", "cas", "status")) {
      final Cli.Result help = Cli.run(command, "--help");
      assertEquals(0, help.exitCode(), help::toString);
      Stream.of("Output:", "Exit codes:", "--endpoints", "--timeout", "-o, --output=FORMAT")
          .forEach(s -> assertTrue(help.out().contains(s), command + " --help lacks " + s + ":\n" + help.out()));
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    final List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
