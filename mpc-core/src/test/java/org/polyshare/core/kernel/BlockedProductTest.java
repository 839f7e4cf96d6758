package org.polyshare.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockedProduct} equals the one-shot product bit for bit, and each block reads only the
 * prefix declared ready: the part of the left operand not yet "arrived" holds garbage until it
 * does, so a block that ran early would change the result.
 */
class BlockedProductTest {

  /** Delivers the left operand in random steps, advancing after each; checks against applyAdd. */
  private static void check(BilinearMap map, int grain, int expectBlocks) {
    SplittableRandom rnd = new SplittableRandom(31L * grain + map.leftNumel());
    long[] left = rnd.longs(map.leftNumel()).toArray();
    long[] right = rnd.longs(map.rightNumel()).toArray();
    long[] out0 = rnd.longs(map.outputNumel()).toArray();
    long[] want = out0.clone();
    map.applyAdd(left, right, want);

    long[] arriving = rnd.longs(left.length).toArray(); // garbage until each element arrives
    long[] out = out0.clone();
    BlockedProduct p = new BlockedProduct(map, right, out, grain);
    assertEquals(expectBlocks, p.blockCount(), map + " at grain " + grain);
    int ready = 0;
    while (ready < left.length) {
      int step = 1 + rnd.nextInt(Math.max(1, 2 * Math.min(grain, left.length) / 3));
      int to = Math.min(left.length, ready + step);
      System.arraycopy(left, ready, arriving, ready, to - ready);
      ready = to;
      p.advance(arriving, ready);
    }
    p.finish(arriving);
    assertArrayEquals(want, out, map + " at grain " + grain);
  }

  @Test
  void convBlocksOfWholeChannelsPerImage() {
    Conv2dShape s = new Conv2dShape(2, 20, 5, 5, 6, 3, 3, 1, 1);
    check(s, 30, 2 * 3); // 8 channels a block at least (72 patch rows ≥ 64): 8, 8, 4
    check(s, 250, 2 * 2); // 10 channels of 25
    check(new Conv2dShape(1, 19, 7, 6, 5, 3, 3, 2, 1), 1, 3);
    check(new Conv2dShape(3, 150, 4, 4, 9, 1, 1, 1, 0), 700, 3 * 3); // 1x1: 64, 64, 22
    check(new Conv2dShape(1, 5, 9, 9, 4, 5, 5, 2, 2), 81, 2); // 5x5: 3 channels, then 2
  }

  @Test
  void matmulBlocksOfRowsOrOfTheReduction() {
    check(new MatMulShape(5, 100, 7), 250, 3); // 2 rows a block
    check(new MatMulShape(2, 300, 9), 100, 2 * 3); // k-blocks of 100
    check(new MatMulShape(1, 1000, 33), 10, 16); // k-blocks of at least 64
  }

  @Test
  void elementwiseBlocksOfTheGrain() {
    check(new Elementwise(1000), 77, 13);
  }

  @Test
  void aGrainCoveringTheOperandIsOneProduct() {
    check(new Conv2dShape(2, 20, 5, 5, 6, 3, 3, 1, 1), Integer.MAX_VALUE, 1);
    check(new MatMulShape(5, 100, 7), 500, 1);
  }

  @Test
  void stridedGemmMultipliesAColumnBlock() {
    SplittableRandom rnd = new SplittableRandom(3);
    int m = 9;
    int lda = 23;
    int k = 11;
    int n = 13;
    long[] a = rnd.longs(m * lda).toArray();
    long[] b = rnd.longs(k * n).toArray();
    long[] c = new long[m * n];
    RingGemm.multiplyAddStrided(a, 5, lda, b, 0, c, 0, m, k, n);
    long[] want = new long[m * n];
    for (int i = 0; i < m; i++) {
      for (int q = 0; q < k; q++) {
        for (int j = 0; j < n; j++) {
          want[i * n + j] += a[5 + i * lda + q] * b[q * n + j];
        }
      }
    }
    assertArrayEquals(want, c);
    assertThrows(
        IllegalArgumentException.class,
        () -> RingGemm.multiplyAddStrided(a, 13, lda, b, 0, c, 0, m, k, n),
        "the block's last row runs past A");
  }
}
