package org.polyshare.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaterialStoreTest {
  @TempDir Path parent;

  private static long entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void randomRangesRoundTripAcrossManySegments() {
    Random rnd = new Random(7);
    for (MaterialStore store :
        new MaterialStore[] {MaterialStore.under(parent, 64), MaterialStore.onHeap(64)}) {
      try (store) {
        int n = 1003; // 8 longs per segment: 126 segments, the last one partial
        long[] expect = new long[n];
        LongFile f = store.create("t", n);
        assertEquals(126, f.segmentCount());
        for (int k = 0; k < 400; k++) {
          int at = rnd.nextInt(n);
          int len = rnd.nextInt(n - at + 1);
          long[] src = new long[len + 3];
          for (int i = 0; i < src.length; i++) {
            src[i] = rnd.nextLong();
          }
          f.put(at, src, 3, len);
          System.arraycopy(src, 3, expect, at, len);
        }
        long[] all = new long[n + 2];
        f.get(0, all, 2, n);
        long[] back = new long[n];
        System.arraycopy(all, 2, back, 0, n);
        assertArrayEquals(expect, back, store.toString());
        long[] mid = new long[20];
        f.get(5, mid, 0, 20); // a range over three segment boundaries
        for (int i = 0; i < 20; i++) {
          assertEquals(expect[5 + i], mid[i]);
        }
        assertEquals(8L * n, store.bytes());
        assertThrows(IndexOutOfBoundsException.class, () -> f.get(n - 1, new long[2], 0, 2));
      }
    }
  }

  @Test
  void aConsumedFileIsRemovedAtOnceAndTheStoreLeavesNothing() throws IOException {
    MaterialStore store = MaterialStore.under(parent, 1024);
    Path dir = store.directory();
    assertTrue(dir.startsWith(parent) && Files.isDirectory(dir));
    LongFile a = store.create("a", 1000);
    LongFile b = store.create("b", 10);
    assertEquals(2, entries(dir));
    assertEquals(8000, Files.size(a.path()));
    assertEquals(8 * 1010, store.bytes());
    a.close();
    assertFalse(Files.exists(a.path()));
    assertEquals(80, store.bytes());
    assertEquals(8 * 1010, store.peakBytes());
    assertThrows(IllegalStateException.class, () -> a.get(0, new long[1], 0, 1));
    store.close(); // b was never consumed
    assertFalse(Files.exists(b.path()));
    assertFalse(Files.exists(dir));
    assertEquals(0, entries(parent), "nothing of the store remains under its parent");
    assertThrows(IllegalStateException.class, () -> store.create("c", 1));
  }

  @Test
  void aSessionThatThrowsLeavesNothing() throws IOException {
    Path[] dir = new Path[1];
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (MaterialStore store = MaterialStore.under(parent, 64)) {
            dir[0] = store.directory();
            store.create("tables", 5000).put(0, new long[] {1, 2, 3}, 0, 3);
            throw new IllegalStateException("peer gone");
          }
        });
    assertFalse(Files.exists(dir[0]));
    assertEquals(0, entries(parent));
  }

  @Test
  void theHeapStoreMakesNoFiles() {
    try (MaterialStore store = MaterialStore.onHeap()) {
      assertFalse(store.fileBacked());
      assertNull(store.directory());
      LongFile f = store.create("x", 3);
      assertNull(f.path());
      f.put(0, new long[] {4, 5, 6}, 0, 3);
      long[] back = new long[3];
      f.get(0, back, 0, 3);
      assertArrayEquals(new long[] {4, 5, 6}, back);
      f.close();
      assertEquals(0, store.bytes());
    }
  }

  @Test
  void segmentSizesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> MaterialStore.onHeap(12));
    assertThrows(IllegalArgumentException.class, () -> MaterialStore.onHeap(1L << 31));
  }
}
