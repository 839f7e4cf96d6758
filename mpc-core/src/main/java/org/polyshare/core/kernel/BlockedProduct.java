package org.polyshare.core.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code out += left ⊗ right} applied block by block while {@code left} is still arriving: the
 * caller says how long a prefix of {@code left} is final ({@link #advance}) and every block inside
 * it runs at once, so the product of the first pieces overlaps the wire time of the later ones.
 *
 * <p>A map linear in its left operand splits over any partition of that operand: {@code (L_1 + L_2)
 * ⊗ R = L_1 ⊗ R + L_2 ⊗ R} with {@code L_i} the left operand zeroed outside block i. The blocks
 * follow the left operand's memory order (the order it arrives in):
 *
 * <ul>
 *   <li>conv, NCHW: per image, runs of whole input channels ({@link RingConv#conv2dAddChannels}),
 *       at least enough for a GEMM k-block of {@value RingGemm#KB} patch rows;
 *   <li>matmul {@code [m, k]}: runs of whole rows when a row fits in the grain, else k-blocks of
 *       each row (a column block of A against the same rows of B);
 *   <li>elementwise: runs of the grain.
 * </ul>
 *
 * Ring sums are exact in any order, so the result is bit-identical to {@link BilinearMap#applyAdd}.
 * With the grain {@link Integer#MAX_VALUE} (chunking off) there is one block, {@code applyAdd}
 * itself. A conv made by {@link WeightedProduct} with a {@link WinogradConv} feeds the same channel
 * runs to one Winograd pass, whose output transform runs at {@link #finish}.
 */
public final class BlockedProduct {
  /**
   * One block: it needs {@code left[0, end)}; {@code unit} is the image or row, {@code [from, to)}
   * the channels, rows or columns (or elements) it covers.
   */
  private record Block(int end, int unit, int from, int to) {}

  private final BilinearMap map;
  private final long[] right;
  private final long[] out;
  private final List<Block> blocks = new ArrayList<>();
  private final boolean whole;
  private final WinogradConv winograd;
  private WinogradConv.Pass pass;
  private long[] passLeft;
  private int next;

  /**
   * @param grainLongs the target block size in elements of {@code left} (the link's piece size)
   */
  public BlockedProduct(BilinearMap map, long[] right, long[] out, int grainLongs) {
    this(map, right, null, out, grainLongs);
  }

  BlockedProduct(BilinearMap map, long[] right, WinogradConv winograd, long[] out, int grainLongs) {
    if (winograd != null && !winograd.shape().equals(map)) {
      throw new IllegalArgumentException(
          "Winograd product of " + winograd.shape() + " for a block product of " + map);
    }
    if (grainLongs < 1) {
      throw new IllegalArgumentException("block grain must be positive, got " + grainLongs);
    }
    if (right.length != map.rightNumel() || out.length != map.outputNumel()) {
      throw new IllegalArgumentException(
          "operands of "
              + right.length
              + " and "
              + out.length
              + " elements do not match "
              + map
              + " (right "
              + map.rightNumel()
              + ", output "
              + map.outputNumel()
              + ")");
    }
    this.map = map;
    this.right = right;
    this.out = out;
    this.winograd = winograd;
    this.whole = grainLongs >= map.leftNumel() && winograd == null;
    if (whole) {
      blocks.add(new Block(map.leftNumel(), 0, 0, 0));
      return;
    }
    if (map instanceof Conv2dShape s) {
      int channel = s.h() * s.w();
      int perChannel = s.kH() * s.kW();
      int least = (RingGemm.KB + perChannel - 1) / perChannel;
      int step = Math.min(s.inC(), Math.max(least, grainLongs / channel));
      for (int b = 0; b < s.batch(); b++) {
        for (int c0 = 0; c0 < s.inC(); c0 += step) {
          int c1 = Math.min(s.inC(), c0 + step);
          blocks.add(new Block((b * s.inC() + c1) * channel, b, c0, c1));
        }
      }
      return;
    }
    if (map instanceof MatMulShape s) {
      if (s.k() <= grainLongs) {
        int step = grainLongs / s.k();
        for (int r0 = 0; r0 < s.m(); r0 += step) {
          int r1 = Math.min(s.m(), r0 + step);
          blocks.add(new Block(r1 * s.k(), -1, r0, r1));
        }
      } else {
        int step = Math.max(RingGemm.KB, grainLongs);
        for (int i = 0; i < s.m(); i++) {
          for (int k0 = 0; k0 < s.k(); k0 += step) {
            int k1 = Math.min(s.k(), k0 + step);
            blocks.add(new Block(i * s.k() + k1, i, k0, k1));
          }
        }
      }
      return;
    }
    for (int i0 = 0; i0 < map.leftNumel(); i0 += grainLongs) { // elementwise
      int i1 = Math.min(map.leftNumel(), i0 + grainLongs);
      blocks.add(new Block(i1, 0, i0, i1));
    }
  }

  /** Blocks the left operand is cut into (1 when the grain covers it). */
  public int blockCount() {
    return blocks.size();
  }

  /** {@code left[0, ready)} is final: applies every block not yet applied that lies inside it. */
  public void advance(long[] left, int ready) {
    if (left.length != map.leftNumel()) {
      throw new IllegalArgumentException(
          "left operand of " + left.length + " elements does not match " + map);
    }
    while (next < blocks.size() && blocks.get(next).end() <= ready) {
      apply(left, blocks.get(next++));
    }
  }

  /** All of {@code left} is final: applies the remaining blocks. */
  public void finish(long[] left) {
    advance(left, left.length);
    if (pass != null) {
      pass.finish();
    }
  }

  private void apply(long[] left, Block b) {
    if (winograd != null) {
      if (pass == null) {
        pass = winograd.begin(left, out);
        passLeft = left;
      } else if (left != passLeft) {
        throw new IllegalArgumentException("a Winograd block product is fed one left operand");
      }
      pass.add(b.unit(), b.from(), b.to());
      return;
    }
    if (whole) {
      map.applyAdd(left, right, out);
      return;
    }
    if (map instanceof Conv2dShape s) {
      RingConv.conv2dAddChannels(left, right, out, s, b.unit(), b.from(), b.to());
    } else if (map instanceof MatMulShape s) {
      if (b.unit() < 0) {
        int rows = b.to() - b.from();
        RingGemm.multiplyAdd(
            left, b.from() * s.k(), right, 0, out, b.from() * s.n(), rows, s.k(), s.n());
      } else {
        RingGemm.multiplyAddStrided(
            left,
            b.unit() * s.k() + b.from(),
            s.k(),
            right,
            b.from() * s.n(),
            out,
            b.unit() * s.n(),
            1,
            b.to() - b.from(),
            s.n());
      }
    } else {
      for (int i = b.from(); i < b.to(); i++) {
        out[i] += left[i] * right[i];
      }
    }
  }
}
