package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerListTest {

  @Test
  void parsesEntriesInListOrder() {
    List<PeerSpec> peers = PeerList.parse("berth-1=127.0.0.2:7380:7379,berth-0=127.0.0.1:7380:7379");
    assertEquals(List.of(
        new PeerSpec("berth-1", "127.0.0.2", 7380, 7379),
        new PeerSpec("berth-0", "127.0.0.1", 7380, 7379)), peers);
  }

  @Test
  void toleratesWhitespaceAroundEntries() {
    List<PeerSpec> peers = PeerList.parse("  a=host-a:1:2 ,\tb=host-b.example:3:4  ");
    assertEquals(List.of(new PeerSpec("a", "host-a", 1, 2), new PeerSpec("b", "host-b.example", 3, 4)), peers);
  }

  @Test
  void sameHostWithDifferentPortsIsFine() {
    List<PeerSpec> peers = PeerList.parse("a=localhost:7380:7379,b=localhost:7390:7389");
    assertEquals(2, peers.size());
  }

  @Test
  void bracketedIpv6HostIsAccepted() {
    List<PeerSpec> peers = PeerList.parse("a=[::1]:7380:7379,b=[fe80::1%eth0]:7380:7379");
    assertEquals("::1", peers.get(0).host());
    assertEquals("[::1]:7380", peers.get(0).peerAddress());
    assertEquals("fe80::1%eth0", peers.get(1).host());
  }

  @Test
  void formatRoundTrips() {
    String spec = "a=[::1]:7380:7379,b=b.example:7380:7379";
    assertEquals(spec, PeerList.format(PeerList.parse(spec)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      // spec | the entry the message must name | the problem it must state
      "berth-0 | berth-0 | no '='",
      "=h:1:2 | =h:1:2 | no name before '='",
      "Berth-0=h:1:2 | Berth-0=h:1:2 | name 'Berth-0' is not a valid DNS label",
      "b_0=h:1:2 | b_0=h:1:2 | name 'b_0' is not a valid DNS label",
      "a= | a= | no host and ports",
      "a=host | a=host | no ports",
      "a=host: | a=host: | no ports",
      "a=:1:2 | a=:1:2 | no host",
      "a=host:7380 | a=host:7380 | no client port",
      "a=host:7380: | a=host:7380: | no client port",
      "a=host::7379 | a=host::7379 | no peer port",
      "a=host:x:7379 | a=host:x:7379 | peer port 'x' is not a number",
      "a=host:7380:-1 | a=host:7380:-1 | client port '-1' is not a number",
      "a=host:0:7379 | a=host:0:7379 | peer port 0 is outside 1..65535",
      "a=host:7380:65536 | a=host:7380:65536 | client port 65536 is outside 1..65535",
      "a=host:7380:99999999999 | a=host:7380:99999999999 | client port 99999999999 is outside",
      "a=host:7380:7380 | a=host:7380:7380 | peer and client port are both 7380",
      "a=host:1:2:3 | a=host:1:2:3 | too many ':'",
      "a=::1:7380:7379 | a=::1:7380:7379 | an IPv6 host goes in brackets",
      "a=[::1:7380:7379 | a=[::1:7380:7379 | '[' without ']'",
      "a=[::1] | a=[::1] | no ports after the host",
      "a=[not-v6]:1:2 | a=[not-v6]:1:2 | 'not-v6' in brackets is not an IPv6 address",
      "a=bad_host:1:2 | a=bad_host:1:2 | host 'bad_host' is not a valid host name",
      "a=h:1:2,,b=h:3:4 | position 2 | empty entry",
      "a=h:1:2, | position 2 | empty entry",
      "a=h1:1:2,a=h2:1:2 | a=h2:1:2 | names member a twice ('a=h1:1:2' and 'a=h2:1:2')",
      "a=h:1:2,b=h:1:3 | 'a=h:1:2' and 'b=h:1:3' | both use h:1",
      "a=h:1:2,b=H:3:1 | 'a=h:1:2' and 'b=H:3:1' | both use h:1",
      "a=h:1:2,b=h:2:3 | 'a=h:1:2' and 'b=h:2:3' | both use h:2",
      "\"   \" | --peers | --peers is empty",
  })
  void malformedListIsRejectedNamingTheEntryAndProblem(String spec, String entry, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> PeerList.parse(spec));
    assertTrue(e.getMessage().contains(entry), () -> "message must name '" + entry + "': " + e.getMessage());
    assertTrue(e.getMessage().contains(problem), () -> "message must say '" + problem + "': " + e.getMessage());
    assertTrue(e.getMessage().startsWith("--peers") || e.getMessage().startsWith("invalid --peers entry"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void entryErrorsShowTheExpectedFormat() {
    ConfigException e = assertThrows(ConfigException.class, () -> PeerList.parse("a=h:1:2, b=h"));
    assertEquals("invalid --peers entry 'b=h': no ports; expected NAME=HOST:PEER_PORT:CLIENT_PORT",
        e.getMessage());
  }

  @Test
  void errorsNameTheEnvironmentVariableWhenTheListCameFromIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> PeerList.parse("a", "BERTH_PEERS"));
    assertTrue(e.getMessage().startsWith("invalid BERTH_PEERS entry 'a': no '='"), e.getMessage());
  }
}
