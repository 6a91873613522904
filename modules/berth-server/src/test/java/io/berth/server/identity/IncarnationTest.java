package io.berth.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IncarnationTest {
  @Test
  void aNewPodTakesItsOwnName() {
    assertEquals("berth-3", Incarnation.next("berth-3", List.of("berth-0", "berth-1", "berth-2")));
  }

  @Test
  void aPodThatLostItsVolumeTakesTheNextIncarnation() {
    assertEquals("berth-1~2", Incarnation.next("berth-1", List.of("berth-0", "berth-1", "berth-2")));
    assertEquals("berth-1~4", Incarnation.next("berth-1", List.of("berth-0", "berth-1~3", "berth-2")));
  }

  @Test
  void podsWithACommonPrefixAreNotConfused() {
    assertEquals("berth-1", Incarnation.next("berth-1", List.of("berth-10", "berth-10~2", "berth-11")));
    assertFalse(Incarnation.of("berth-10~2", "berth-1"));
    assertTrue(Incarnation.of("berth-1~2", "berth-1"));
    assertFalse(Incarnation.of("berth-1~x", "berth-1"));
  }

  @Test
  void podOfAnIncarnation() {
    assertEquals("berth-1", Incarnation.pod("berth-1~7"));
    assertEquals("berth-1", Incarnation.pod("berth-1"));
    assertEquals(7, Incarnation.number("berth-1~7").getAsInt());
  }
}
