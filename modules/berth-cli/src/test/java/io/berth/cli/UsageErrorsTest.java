package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is exit 2 with one line on stderr naming the mistake; an unreachable cluster is exit 3. */
class UsageErrorsTest {

  static Stream<Arguments> badInputs() {
    return Stream.of(
        bad("put with no arguments", "berth put: Missing required parameters: 'KEY', 'VALUE'", "put"),
        bad("put without a value", "berth put: Missing required parameter: 'VALUE'", "put", "k"),
        bad("get without a key", "berth get: Missing required parameter: 'KEY'", "get"),
        bad("empty key", "berth get: KEY must not be empty (a key is 1 to 4096 bytes)", "get", ""),
        bad("empty key on put", "berth put: KEY must not be empty (a key is 1 to 4096 bytes)", "put", "", "v"),
        bad("key too long", "berth del: KEY is 4097 bytes, over the limit (a key is 1 to 4096 bytes)",
            "del", "k".repeat(4097)),
        bad("endpoint without port",
            "berth get: --endpoints: endpoint 'host' has no port: it must be HOST:PORT (for example 127.0.0.1:7379)",
            "get", "k", "--endpoints", "host"),
        bad("endpoint port zero", "berth get: --endpoints: endpoint 'host:0' has port 0: a port is 1 to 65535",
            "get", "k", "--endpoints", "host:0"),
        bad("endpoint port not a number",
            "berth put: --endpoints: endpoint 'host:notaport' has port 'notaport', which is not a number: it must "
                + "be HOST:PORT (for example 127.0.0.1:7379)",
            "put", "k", "v", "--endpoints", "127.0.0.1:7379,host:notaport"),
        bad("endpoints empty", "berth status: --endpoints is empty: give HOST:PORT[,HOST:PORT...], e.g. "
            + "127.0.0.1:7379 (or set BERTH_ENDPOINTS)", "status", "--endpoints", ","),
        bad("unknown option", "berth get: Unknown option: '--bogus'", "get", "k", "--bogus"),
        bad("unknown command", "berth: Unmatched argument at index 0: 'frobnicate'", "frobnicate"),
        bad("non-numeric expected version",
            "berth cas: Invalid value for option '--expect-version': 'abc' is not a long",
            "cas", "k", "--expect-version", "abc", "v"),
        bad("negative expected version",
            "berth cas: expected version must be >= 0 (0 = the key must not exist), got -1",
            "cas", "k", "--expect-version", "-1", "v"),
        bad("cas without expectation", "berth cas: Error: Missing required argument (specify one of these): "
            + "(--expect-version=V | --expect-mod-revision=R | --expect-value=S)", "cas", "k", "v"),
        bad("cas with two expectations", "berth cas: Error: --expect-version=V, --expect-value=S are mutually "
            + "exclusive (specify only one)", "cas", "k", "--expect-version", "1", "--expect-value", "x", "v"),
        bad("cas without value or --delete", "berth cas: give the new VALUE, or --delete",
            "cas", "k", "--expect-version", "1"),
        bad("cas with value and --delete", "berth cas: give either VALUE or --delete, not both",
            "cas", "k", "--expect-version", "1", "v", "--delete"),
        bad("output yaml", "berth status: Invalid value for option '--output': expected one of [table, json] "
            + "(case-sensitive) but was 'yaml'", "status", "-o", "yaml"),
        bad("scan without prefix or range", "berth scan: give --prefix P, or a range --from S [--to E]", "scan"),
        bad("scan with prefix and range", "berth scan: use either --prefix or --from/--to, not both",
            "scan", "--prefix", "a", "--from", "b"),
        bad("negative limit", "berth scan: --limit must be >= 0 (0 = no limit), got -1",
            "scan", "--prefix", "a", "--limit", "-1"),
        bad("bad timeout", "berth get: Invalid value for option '--timeout': 'soon' is not a duration: use e.g. "
            + "500ms, 10s or 1m", "get", "k", "--timeout", "soon"),
        bad("zero timeout", "berth get: Invalid value for option '--timeout': '0s' must be longer than zero",
            "get", "k", "--timeout", "0s"));
  }

  private static Arguments bad(String name, String message, String... args) {
    return Arguments.of(name, message, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsAOneLineUsageError(String name, String message, String[] args) {
    final Cli.Result r = Cli.run(args);
    assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals(1, r.err().lines().count(), r::toString);
    assertTrue(r.err().startsWith(message), () -> "expected to start with: " + message + "\n" + r);
  }

  @Test
  void parseErrorsPointAtHelp() {
    assertEquals("berth get: Missing required parameter: 'KEY' (see 'berth get --help')\n", Cli.run("get").err());
  }

  @Test
  void anUnreachableClusterIsExitThreeNamingTheEndpoint() throws Exception {
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final String endpoint = "127.0.0.1:" + port;
    for (String[] args : new String[][] {{"get", "k"}, {"put", "k", "v"}, {"status"}}) {
      final Cli.Result r = Cli.run(Stream.concat(Stream.of(args),
          Stream.of("--endpoints", endpoint, "--timeout", "300ms")).toArray(String[]::new));
      assertEquals(ExitCodes.UNAVAILABLE, r.exitCode(), r::toString);
      assertEquals("", r.out(), r::toString);
      assertEquals(1, r.err().lines().count(), r::toString);
      assertTrue(r.err().startsWith("berth " + args[0] + ": no member answered in "), r::toString);
      // Refused at once normally; on a loaded machine the deadline may come first. Either way it is named.
      assertTrue(r.err().contains("tried " + endpoint + " (UNAVAILABLE: ")
          || r.err().contains("tried " + endpoint + " (DEADLINE_EXCEEDED: "), r::toString);
      assertTrue(r.err().endsWith("; check --endpoints (or BERTH_ENDPOINTS) and that the members are running\n"),
          r::toString);
    }
  }
}
