package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.core.store.MaterialStore;

/**
 * Garbled material in a file-backed {@link MaterialStore}: results as on the heap, the tables and
 * labels in files (the heap part does not depend on the circuit), nothing left behind.
 */
class GcMaterialStoreTest {
  @TempDir Path parent;

  private static long entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  /** What one party saw: its output share and its store's bytes before and after online. */
  private record Side(long[] y, long held, long heap, long stored, long left, long files) {}

  private static Side side(Party p, MaterialStore store, GcFunction f, int n, long[] x) {
    GcOffline off = SharedGc.prepare(p.withMaterialStore(store), f, n);
    long held = store.bytes();
    long files;
    try {
      files = entries(store.directory());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long[] y = SharedGc.online(p, off, f.tags, x);
    return new Side(y, held, off.heapBytes(), off.storedBytes(), store.bytes(), files);
  }

  private Side[] run(GcFunction f, int n, long[] x0, long[] x1) {
    InProcessDealer dealer = new InProcessDealer();
    try (MaterialStore s0 = MaterialStore.under(parent, 1 << 20);
        MaterialStore s1 = MaterialStore.under(parent, 1 << 20)) {
      TwoParties.Result<Side> r =
          TwoParties.run(
              link ->
                  side(new Party(0, link, dealer.source(0), FixedPoint.defaults()), s0, f, n, x0),
              link ->
                  side(new Party(1, link, dealer.source(1), FixedPoint.defaults()), s1, f, n, x1));
      return new Side[] {r.party0(), r.party1()};
    }
  }

  private static long[][] shares(long[] x, long seed) {
    Random rnd = new Random(seed);
    long[] x0 = new long[x.length];
    long[] x1 = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      x0[i] = rnd.nextLong();
      x1[i] = x[i] - x0[i];
    }
    return new long[][] {x0, x1};
  }

  @Test
  void reluFromFilesMatchesPlaintextAndLeavesNothing() throws IOException {
    for (int shift : new int[] {0, 16}) {
      long[] x = GcReluTest.testValues(700, shift); // three chunks, the last partial
      long[][] sh = shares(x, shift);
      GcFunction f = GcRelu.function(shift);
      Side[] s = run(f, x.length, sh[0], sh[1]);
      for (int i = 0; i < x.length; i++) {
        assertEquals(Math.max(x[i], 0) >> shift, s[0].y()[i] + s[1].y()[i], "x = " + x[i]);
      }
      checkStore(s, f, x.length);
    }
    assertEquals(0, entries(parent), "every material directory is removed");
  }

  @Test
  void maxPoolFromFilesMatchesPlaintext() throws IOException {
    int w = 4;
    int n = 300;
    long[] x = GcReluTest.testValues(n * w, 3);
    long[][] sh = shares(x, 5);
    GcFunction f = GcMaxPool.function(w, 0);
    Side[] s = run(f, n, sh[0], sh[1]);
    for (int g = 0; g < n; g++) {
      long m = Long.MIN_VALUE;
      for (int i = 0; i < w; i++) {
        m = Math.max(m, x[g * w + i]);
      }
      assertEquals(m, s[0].y()[g] + s[1].y()[g], "window " + g);
    }
    checkStore(s, f, n);
    assertEquals(0, entries(parent));
  }

  /**
   * The heap keeps per-instance words only (party 0 its masks, party 1 its s and decoding words),
   * the same for a 189-AND ReLU and a 699-AND max: the tables and labels are all in the files,
   * which online removes.
   */
  private static void checkStore(Side[] s, GcFunction f, int n) {
    int k = f.k;
    assertEquals(8L * n, s[0].heap());
    assertEquals(8L * (n * k + n), s[1].heap());
    assertEquals(8L * 2 * 64 * k * n, s[0].held(), "party 0's zero-labels in the store");
    long perInstance = 4L * f.circuit.andCount() + 2L * 64 * k + 2L * 64;
    assertEquals(8 * perInstance * n, s[1].held(), "party 1's tables and labels in the store");
    for (Side side : s) {
      assertEquals(side.stored(), side.heap() + side.held());
      assertEquals(1, side.files(), "one file per batch");
      assertEquals(0, side.left(), "online consumed and removed the file");
    }
  }

  @Test
  void aFailedOfflineLeavesNoFiles() throws IOException {
    InProcessDealer dealer = new InProcessDealer();
    GcFunction f = GcRelu.function(0);
    int n = 1000; // four chunks; party 0 sends one and fails
    long[] held = new long[2];
    Path[] dirs = new Path[2];
    assertThrows(
        LinkException.class,
        () -> {
          try (MaterialStore s0 = MaterialStore.under(parent, 4096);
              MaterialStore s1 = MaterialStore.under(parent, 4096)) {
            dirs[0] = s0.directory();
            dirs[1] = s1.directory();
            TwoParties.run(
                link -> {
                  Party p =
                      new Party(0, link, dealer.source(0), FixedPoint.defaults())
                          .withMaterialStore(s0);
                  SharedGarbler g = SharedGarbler.start(p, f, n);
                  g.garbleChunk();
                  g.sendChunk();
                  held[0] = s0.bytes();
                  link.close(); // the garbler's process dies mid-stream
                  return null;
                },
                link -> {
                  Party p =
                      new Party(1, link, dealer.source(1), FixedPoint.defaults())
                          .withMaterialStore(s1);
                  try {
                    return SharedEvaluator.prepare(p, f, n);
                  } finally {
                    held[1] = s1.bytes();
                  }
                });
          }
        });
    assertTrue(held[0] > 0, "party 0 held its labels when it died");
    assertEquals(0, held[1], "party 1 removed its partial tables when the stream broke");
    assertFalse(Files.exists(dirs[0]) || Files.exists(dirs[1]));
    assertEquals(0, entries(parent));
  }
}
