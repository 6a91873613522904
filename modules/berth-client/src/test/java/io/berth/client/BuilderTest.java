package io.berth.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuilderTest {

  static Stream<Arguments> mistakes() {
    return Stream.of(
        bad("no endpoints", b -> b.endpoints(List.of()),
            "endpoints must not be empty: give at least one HOST:PORT (for example 127.0.0.1:7379)"),
        bad("blank endpoint", b -> b.endpoints(" "),
            "an endpoint is empty: each must be HOST:PORT (for example 127.0.0.1:7379)"),
        bad("no port", b -> b.endpoints("host"),
            "endpoint 'host' has no port: it must be HOST:PORT (for example 127.0.0.1:7379)"),
        bad("port zero", b -> b.endpoints("host:0"), "endpoint 'host:0' has port 0: a port is 1 to 65535"),
        bad("port too big", b -> b.endpoints("host:65536"),
            "endpoint 'host:65536' has port 65536: a port is 1 to 65535"),
        bad("port not a number", b -> b.endpoints("host:notaport"),
            "endpoint 'host:notaport' has port 'notaport', which is not a number: it must be HOST:PORT "
                + "(for example 127.0.0.1:7379)"),
        bad("no host", b -> b.endpoints(":7379"),
            "endpoint ':7379' has no host: it must be HOST:PORT (for example 127.0.0.1:7379)"),
        bad("bare IPv6", b -> b.endpoints("::1:7379"),
            "endpoint '::1:7379': write an IPv6 address in brackets, e.g. [::1]:7379"),
        bad("duplicate", b -> b.endpoints("a:1", "b:2", "a:1"), "endpoint 'a:1' is listed twice"),
        bad("zero timeout", b -> b.requestTimeout(Duration.ZERO), "requestTimeout must be positive, got 0 ms"),
        bad("negative budget", b -> b.retryBudget(Duration.ofSeconds(-1)),
            "retryBudget must be positive, got -1000 ms"),
        bad("backoff max below base", b -> b.backoff(Duration.ofSeconds(1), Duration.ofMillis(10)),
            "backoff max (10 ms) must be >= base (1000 ms)"),
        bad("blank client id", b -> b.clientId(" "), "clientId must not be blank"));
  }

  private static Arguments bad(String name, Consumer<BerthClientBuilder> mistake, String message) {
    return Arguments.of(name, mistake, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeHasItsOwnMessage(String name, Consumer<BerthClientBuilder> mistake, String message) {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> mistake.accept(BerthClient.builder()));
    assertEquals(message, e.getMessage());
  }

  @Test
  void endpointsAreRequired() {
    final IllegalStateException e = assertThrows(IllegalStateException.class, () -> BerthClient.builder().build());
    assertEquals("endpoints are required: call endpoints(\"host:port\", ...) before build()", e.getMessage());
  }

  @Test
  void endpointsAreNormalizedForTheChannelFactory() {
    final List<String> asked = new java.util.ArrayList<>();
    BerthClient.builder().endpoints(" 127.0.0.1:7379", "[::1]:7389", "berth-2.berth-peers:7379")
        .channelFactory(name -> {
          asked.add(name);
          return io.grpc.inprocess.InProcessChannelBuilder.forName(name).build();
        })
        .build().close();
    assertEquals(List.of("127.0.0.1:7379", "[::1]:7389", "berth-2.berth-peers:7379"), asked);
  }

  @Test
  void expectationsRejectNegativeNumbers() {
    assertEquals("expected version must be >= 0 (0 = the key must not exist), got -1",
        assertThrows(IllegalArgumentException.class, () -> Expect.version(-1)).getMessage());
    assertEquals("scan limit must be >= 0 (0 = no limit), got -5",
        assertThrows(IllegalArgumentException.class, () -> ScanOptions.defaults().withLimit(-5)).getMessage());
  }
}
