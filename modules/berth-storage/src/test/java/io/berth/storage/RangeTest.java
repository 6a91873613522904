package io.berth.storage;

import static io.berth.storage.TestData.bytes;
import static io.berth.storage.TestData.kv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.proto.internal.v1.KeyValue;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeTest {

  private static final byte[] ALL = new byte[0];

  @TempDir Path tmp;
  private RocksKvStore store;

  @BeforeEach
  void fill() {
    store = RocksKvStore.open(tmp.resolve("db"));
    Mutation m = new Mutation(new AppliedState(1, 1, 1));
    for (String key : List.of("b", "a", "abc", "ab", "c")) {
      m.put(kv(key, "v-" + key, 1));
    }
    m.put(kv(new byte[] {(byte) 0xff}, "ff", 1))
        .put(kv(new byte[] {(byte) 0x80}, "80", 1))
        .put(kv(new byte[] {0x7f}, "7f", 1))
        .put(kv(new byte[] {0x01}, "01", 1));
    store.commit(m);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static List<String> keys(RangeResult result) {
    return result.kvs().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  @Test
  void halfOpenRangeActsAsPrefixScan() {
    RangeResult result = store.range(bytes("a"), bytes("b"), 0, false, false);
    assertEquals(List.of("a", "ab", "abc"), keys(result));
    assertEquals(3, result.count());
    assertFalse(result.more());
    assertEquals("v-ab", result.kvs().get(1).getValue().toStringUtf8());
  }

  @Test
  void limitCutsTheAnswerButCountIsTheWholeRange() {
    RangeResult cut = store.range(bytes("a"), bytes("b"), 2, false, false);
    assertEquals(List.of("a", "ab"), keys(cut));
    assertEquals(3, cut.count());
    assertTrue(cut.more());

    RangeResult exact = store.range(bytes("a"), bytes("b"), 3, false, false);
    assertEquals(3, exact.kvs().size());
    assertFalse(exact.more(), "a limit equal to the count cuts nothing");
  }

  @Test
  void keysOnlyDropsValuesButKeepsMetadata() {
    RangeResult result = store.range(bytes("a"), bytes("b"), 0, true, false);
    assertEquals(List.of("a", "ab", "abc"), keys(result));
    for (KeyValue kv : result.kvs()) {
      assertTrue(kv.getValue().isEmpty());
      assertEquals(1, kv.getModRevision());
      assertEquals(1, kv.getVersion());
    }
  }

  @Test
  void countOnlyReturnsNoKeys() {
    RangeResult result = store.range(bytes("a"), bytes("b"), 1, false, true);
    assertTrue(result.kvs().isEmpty());
    assertEquals(3, result.count());
    assertFalse(result.more());
  }

  @Test
  void emptyEndMeansToTheEndOfTheKeyspace() {
    RangeResult fromB = store.range(bytes("b"), ALL, 0, false, false);
    assertEquals(5, fromB.count(), "b, c, 0x7f, 0x80, 0xff");
    assertArrayEquals(new byte[] {(byte) 0xff}, fromB.kvs().get(4).getKey().toByteArray());

    assertEquals(9, store.range(ALL, ALL, 0, false, true).count(), "empty start and end: every key");
  }

  @Test
  void keysSortInUnsignedByteOrder() {
    RangeResult all = store.range(ALL, ALL, 0, false, false);
    byte[][] expected = {
      {0x01}, bytes("a"), bytes("ab"), bytes("abc"), bytes("b"), bytes("c"), {0x7f}, {(byte) 0x80}, {(byte) 0xff}
    };
    assertEquals(expected.length, all.kvs().size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], all.kvs().get(i).getKey().toByteArray(), "position " + i);
    }

    RangeResult high = store.range(new byte[] {0x7f}, new byte[] {(byte) 0xff}, 0, false, false);
    assertEquals(2, high.count(), "0x7f up to, not including, 0xff crosses the sign boundary");
    assertArrayEquals(new byte[] {(byte) 0x80}, high.kvs().get(1).getKey().toByteArray());
  }

  @Test
  void emptyOrInvertedRangeIsEmpty() {
    assertEquals(0, store.range(bytes("b"), bytes("b"), 0, false, false).count());
    assertEquals(0, store.range(new byte[] {(byte) 0xff}, bytes("a"), 0, false, false).count());
    assertEquals(0, store.range(bytes("abd"), bytes("abz"), 0, false, false).count());
  }

  @Test
  void negativeLimitIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> store.range(ALL, ALL, -1, false, false));
  }
}
