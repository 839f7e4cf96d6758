package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyshare.core.kernel.RingOracles.naiveGemm;
import static org.polyshare.core.kernel.RingOracles.random;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RingThreadsTest {
  /**
   * Shapes large enough to be split at 2 and 3 threads: row blocks, column blocks (m < 4·threads),
   * odd sizes.
   */
  private static final int[][] GEMMS = {
    {1, 1, 1},
    {5, 3, 7},
    {13, 67, 300},
    {2, 129, 1001},
    {1, 577, 1000},
    {33, 65, 515},
    {9, 70, 1031},
  };

  @Test
  void gemmIsBitIdenticalAtOneTwoAndThreeThreads() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int[] g : GEMMS) {
      int m = g[0];
      int k = g[1];
      int n = g[2];
      long[] a = random(rnd, m * k);
      long[] b = random(rnd, k * n);
      long[] expect = naiveGemm(a, b, m, k, n);
      for (int t = 1; t <= 3; t++) {
        try (RingThreads pool = new RingThreads(t)) {
          long[] c = new long[m * n];
          RingGemm.multiplyInto(pool, a, b, c, new MatMulShape(m, k, n));
          assertArrayEquals(expect, c, "gemm " + m + "x" + k + "x" + n + " at " + t + " threads");
          // The accumulating form on offset sub-arrays: C += A·B twice is 2·A·B.
          long[] big = new long[m * n + 3];
          long[] aPad = new long[m * k + 5];
          System.arraycopy(a, 0, aPad, 5, a.length);
          RingGemm.multiplyAdd(pool, aPad, 5, b, 0, big, 3, m, k, n);
          RingGemm.multiplyAdd(pool, aPad, 5, b, 0, big, 3, m, k, n);
          for (int i = 0; i < m * n; i++) {
            assertEquals(
                2 * expect[i],
                big[3 + i],
                "accumulated gemm element " + i + " at " + t + " threads");
          }
          assertEquals(0L, big[0] | big[1] | big[2], "gemm wrote before its output offset");
        }
      }
    }
  }

  @Test
  void theTestShapesReallySplit() {
    try (RingThreads pool = new RingThreads(3)) {
      // 13x67x300: 4 row quads of 80,400 MACs each, so 3 blocks; 2x129x1001: 126 column groups, 3
      // blocks.
      assertEquals(3, pool.blocks(4, RingGemm.grain(4L * 67 * 300)));
      assertEquals(3, pool.blocks(126, RingGemm.grain(8L * 2 * 129)));
      assertEquals(1, pool.blocks(2, RingGemm.grain(4L * 3 * 7)), "a tiny product stays inline");
    }
  }

  /**
   * batch, inC, hw, outC, k, stride, pad: batch-split, channel-split, pointwise and strided odd
   * shapes.
   */
  private static final int[][] CONVS = {
    {1, 16, 15, 32, 3, 1, 1},
    {3, 8, 20, 16, 3, 1, 1},
    {1, 64, 9, 33, 1, 1, 0},
    {1, 7, 31, 24, 5, 2, 2},
    {2, 3, 17, 5, 3, 2, 0},
    {1, 1, 1, 1, 1, 1, 0},
  };

  @Test
  void convIsBitIdenticalAtOneTwoAndThreeThreads() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int[] c : CONVS) {
      Conv2dShape s = Conv2dShape.of(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
      long[] input = random(rnd, s.inputNumel());
      long[] weights = random(rnd, s.weightNumel());
      long[] expect = RingConv.conv2dDirect(input, weights, s);
      for (int t = 1; t <= 3; t++) {
        try (RingThreads pool = new RingThreads(t)) {
          long[] out = random(rnd, s.outputNumel()); // overwritten
          RingConv.conv2dInto(pool, input, weights, out, s);
          assertArrayEquals(expect, out, s + " at " + t + " threads");
          RingConv.conv2dAdd(pool, input, weights, out, s);
          for (int i = 0; i < out.length; i++) {
            assertEquals(
                2 * expect[i], out[i], s + " accumulated, element " + i + " at " + t + " threads");
          }
        }
      }
    }
  }

  @Test
  void blocksCoverTheRangeOnceInContiguousPieces() {
    try (RingThreads pool = new RingThreads(3)) {
      for (int count : new int[] {1, 2, 3, 4, 10, 1001}) {
        int[] hits = new int[count];
        ConcurrentHashMap<Integer, Integer> pieces = new ConcurrentHashMap<>();
        pool.forEachBlock(
            count,
            1,
            (from, to) -> {
              pieces.put(from, to);
              for (int i = from; i < to; i++) {
                hits[i]++;
              }
            });
        for (int i = 0; i < count; i++) {
          assertEquals(1, hits[i], "item " + i + " of " + count);
        }
        assertEquals(Math.min(3, count), pieces.size(), "blocks for " + count + " items");
      }
    }
  }

  @Test
  void thePoolIsReusedWithoutGrowingAndRefusesNothingUnderConcurrentCallers() throws Exception {
    try (RingThreads pool = new RingThreads(3)) {
      assertEquals(2, pool.helperThreads());
      SplittableRandom rnd = new SplittableRandom(3);
      long[] a = random(rnd, 13 * 67);
      long[] b = random(rnd, 67 * 300);
      long[] expect = naiveGemm(a, b, 13, 67, 300);
      AtomicLong wrong = new AtomicLong();
      // Every thread that runs a block, over 200 products and 200 block runs from two callers. A
      // count of the process's kernel threads would also see the helpers of pools other tests
      // closed, which exit on their own time; the threads that did the work are this pool's.
      java.util.Set<Thread> ran = ConcurrentHashMap.newKeySet();
      Runnable caller =
          () -> {
            long[] c = new long[13 * 300];
            for (int r = 0; r < 100; r++) {
              RingGemm.multiplyInto(pool, a, b, c, new MatMulShape(13, 67, 300));
              if (!java.util.Arrays.equals(expect, c)) {
                wrong.incrementAndGet();
              }
              pool.forEachBlock(3000, 1, (from, to) -> ran.add(Thread.currentThread()));
            }
          };
      // Two parties of an in-process run share one pool; each also nests nothing but must not
      // stall.
      Thread other = new Thread(caller);
      other.start();
      caller.run();
      other.join();
      assertEquals(0, wrong.get(), "products differing under concurrent callers");
      assertEquals(2, pool.helperThreads(), "helper threads after 200 products");
      ran.remove(Thread.currentThread());
      ran.remove(other);
      assertTrue(
          ran.size() <= pool.helperThreads(),
          "threads other than the two callers that ran blocks: "
              + ran.size()
              + ", more than the pool's "
              + pool.helperThreads()
              + " helpers (a thread per call?)");
      for (Thread t : ran) {
        assertTrue(t.getName().startsWith("ring-kernel-"), "a block ran on " + t.getName());
      }
    }
  }

  /** Runs two blocks, the first slow enough that an allowed helper surely claims the second. */
  private static java.util.Set<Thread> twoBlockThreads(RingThreads pool) {
    java.util.Set<Thread> ran = ConcurrentHashMap.newKeySet();
    pool.forEachBlock(
        2,
        1,
        (from, to) -> {
          ran.add(Thread.currentThread());
          if (from == 0) {
            sleep(300);
          }
        });
    return ran;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void helpersWorkForACallerWhileNoOtherCallerComputes() {
    try (RingThreads pool = new RingThreads(2)) {
      java.util.Set<Thread> ran = twoBlockThreads(pool);
      assertEquals(2, ran.size(), "an idle helper takes the second block");
      assertEquals(0, pool.running());
    }
  }

  @Test
  void helpersStayOutWhileBothCoresRunCallers() throws Exception {
    try (RingThreads pool = new RingThreads(2)) {
      java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      // The other party computes a single-block kernel call: it holds one of the two cores.
      Thread other =
          new Thread(
              () ->
                  pool.forEachBlock(
                      1,
                      1,
                      (from, to) -> {
                        inside.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      other.start();
      assertTrue(inside.await(10, java.util.concurrent.TimeUnit.SECONDS));
      java.util.Set<Thread> ran = twoBlockThreads(pool);
      release.countDown();
      other.join();
      assertEquals(
          java.util.Set.of(Thread.currentThread()),
          ran,
          "with both cores running callers, the caller runs its blocks itself");
      assertEquals(0, pool.running());
    }
  }

  @Test
  void nestedBlocksRunInlineWithoutDeadlock() {
    try (RingThreads pool = new RingThreads(2)) {
      long[] sums = new long[4];
      pool.forEachBlock(
          4,
          1,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              int row = i;
              long[] part = new long[8];
              pool.forEachBlock(
                  8,
                  1,
                  (f, t) -> {
                    for (int j = f; j < t; j++) {
                      part[j] = row * 8L + j;
                    }
                  });
              long acc = 0;
              for (long p : part) {
                acc += p;
              }
              sums[row] = acc;
            }
          });
      for (int i = 0; i < 4; i++) {
        assertEquals(64L * i + 28, sums[i], "nested sum " + i);
      }
    }
  }

  @Test
  void aBlockFailureReachesTheCaller() {
    try (RingThreads pool = new RingThreads(3)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  pool.forEachBlock(
                      9,
                      1,
                      (from, to) -> {
                        if (from > 0) {
                          throw new IllegalStateException("block " + from);
                        }
                      }));
      assertTrue(e.getMessage().startsWith("block "), e.getMessage());
    }
  }

  @Test
  void theSharedPoolIsSizedOnce() {
    RingThreads shared = RingThreads.shared();
    assertSame(shared, RingThreads.shared());
    RingThreads.configure(shared.threads()); // the same size again is fine
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RingThreads.configure(shared.threads() + 1));
    assertTrue(e.getMessage().contains("--threads"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RingThreads.configure(-1));
    assertThrows(IllegalArgumentException.class, () -> new RingThreads(0));
    assertThrows(IllegalStateException.class, shared::close);
  }

  @Test
  void onCallingThreadKeepsEveryBlockOnTheCallerAndThenRestoresThePool() throws Exception {
    RingThreads process = RingThreads.shared();
    Thread caller = Thread.currentThread();
    java.util.Set<Thread> ran = ConcurrentHashMap.newKeySet();
    RingThreads[] elsewhere = new RingThreads[1];
    SplittableRandom rnd = new SplittableRandom(11);
    long[] a = random(rnd, 33 * 65);
    long[] b = random(rnd, 65 * 515);
    long[] c =
        RingThreads.onCallingThread(
            () -> {
              assertEquals(1, RingThreads.shared().threads());
              RingThreads.shared()
                  .forEachBlock(8, 1, (from, to) -> ran.add(Thread.currentThread()));
              // nested: still one thread inside, still one thread after the inner call returns
              RingThreads.onCallingThread(() -> RingThreads.shared().threads());
              assertEquals(1, RingThreads.shared().threads());
              Thread other = new Thread(() -> elsewhere[0] = RingThreads.shared());
              other.start();
              try {
                other.join(10_000);
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
              return RingGemm.multiply(a, b, new MatMulShape(33, 65, 515));
            });
    assertEquals(java.util.Set.of(caller), ran, "every block on the calling thread");
    assertSame(process, elsewhere[0], "another thread keeps the process pool meanwhile");
    assertArrayEquals(naiveGemm(a, b, 33, 65, 515), c);
    assertSame(process, RingThreads.shared(), "the process pool again on return");
    assertThrows(
        IllegalStateException.class,
        () ->
            RingThreads.onCallingThread(
                () -> {
                  throw new IllegalStateException("body");
                }));
    assertSame(process, RingThreads.shared(), "restored after a failing body too");
  }
}
