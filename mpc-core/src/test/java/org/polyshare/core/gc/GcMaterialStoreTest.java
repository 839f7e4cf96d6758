package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.SharedRuns;
import org.polyshare.core.protocol.TruncationMode;
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

  /** Both parties on shares of {@code x} ({@code n} instances), each with a store of its own. */
  private Side[] run(GcFunction f, int n, long[] x) {
    Side[] sides = new Side[2];
    try (MaterialStore s0 = MaterialStore.under(parent, 1 << 20);
        MaterialStore s1 = MaterialStore.under(parent, 1 << 20)) {
      MaterialStore[] stores = {s0, s1};
      SharedRuns.onShares(
          new InProcessSession(FixedPoint.defaults(), TruncationMode.DEALER),
          x,
          11,
          (p, share) -> {
            sides[p.id()] = side(p, stores[p.id()], f, n, share);
            return sides[p.id()].y();
          });
    }
    return sides;
  }

  @Test
  void reluFromFilesMatchesPlaintextAndLeavesNothing() throws IOException {
    for (int shift : new int[] {0, 16}) {
      long[] x = GcReluTest.testValues(700, shift); // three chunks, the last partial
      GcFunction f = GcRelu.function(shift);
      Side[] s = run(f, x.length, x);
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
    GcFunction f = GcMaxPool.function(w, 0);
    Side[] s = run(f, n, x);
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
