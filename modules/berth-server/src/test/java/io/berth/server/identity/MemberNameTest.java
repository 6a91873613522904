package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemberNameTest {

  @Test
  void parsesStatefulSetAndOrdinal() {
    MemberName name = MemberName.parse("berth-0");
    assertEquals("berth", name.statefulSet());
    assertEquals(0, name.ordinal());
    assertEquals("berth-0", name.name());
  }

  @Test
  void ordinalIsTheNumberAfterTheLastDash() {
    MemberName name = MemberName.parse("my-db-12");
    assertEquals("my-db", name.statefulSet());
    assertEquals(12, name.ordinal());
    assertEquals("my-db-12", name.toString());
  }

  @Test
  void acceptsTheLargestIntOrdinal() {
    assertEquals(Integer.MAX_VALUE, MemberName.parse("b-" + Integer.MAX_VALUE).ordinal());
  }

  @Test
  void nameWithoutOrdinalIsRejectedWithTheExpectedShape() {
    ConfigException e = assertThrows(ConfigException.class, () -> MemberName.parse("berth"));
    assertEquals("member name 'berth' has no ordinal (no '-'); StatefulSet pods are named"
        + " <statefulset>-<ordinal>, e.g. berth-0: pass the pod name with --name or POD_NAME", e.getMessage());
  }

  @Test
  void errorNamesWhereTheNameCameFrom() {
    ConfigException e = assertThrows(ConfigException.class, () -> MemberName.parse("laptop", "the hostname"));
    assertTrue(e.getMessage().startsWith("member name 'laptop' (from the hostname) has no ordinal"),
        e.getMessage());
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "\"\"              | member name is empty",
      "berth-          | has nothing after its last '-'",
      "berth-a         | ordinal 'a' after its last '-', which is not a number",
      "berth-1a        | ordinal '1a' after its last '-', which is not a number",
      "berth-+1        | ordinal '+1' after its last '-', which is not a number (digits only, no sign)",
      "berth--1        | StatefulSet part 'berth-', which is not a valid DNS label",
      "-1              | has no StatefulSet name before its last '-'",
      "berth-01        | ordinal '01' with a leading zero",
      "berth-2147483648 | ordinal 2147483648, which is too large",
      "berth-99999999999999999999 | which is too large",
      "Berth-0         | is not a valid DNS label",
      "berth_db-0      | is not a valid DNS label",
      "berth.ns-0      | is not a valid DNS label",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-0 | is not a valid DNS label",
  })
  void invalidNamesAreRejectedWithTheReason(String value, String reason) {
    ConfigException e = assertThrows(ConfigException.class, () -> MemberName.parse(value));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(value.isEmpty() || e.getMessage().contains("'" + value + "'"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
  }

  @Test
  void longestValidNameIsSixtyThreeCharacters() {
    String name = "a".repeat(61) + "-0";
    assertEquals(63, MemberName.parse(name).name().length());
  }
}
