package org.polyshare.core.correlation;

import java.util.Arrays;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;

/**
 * One batch of correlated randomness, described by kind and shape only — never by data. A
 * {@link CorrelationPlan} is an ordered list of these; the dealer serves them in order.
 *
 * <p>Canonical encoding ({@link #encode}): a {@code long[]} whose first element is the kind code
 * and the rest are the shape fields in declaration order. It is what plans are hashed over and
 * what a networked source sends to the dealer.
 */
public sealed interface CorrelationRequest {

  /** Stable wire code of the kind. */
  int kind();

  /** Canonical encoding: {@code [kind, fields...]}. */
  long[] encode();

  /** {@code n} elementwise Beaver triples {@code (a, b, ab)}. */
  record Triples(int n) implements CorrelationRequest {
    public Triples {
      positive(n, "triple count");
    }

    @Override
    public int kind() {
      return 1;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), n};
    }
  }

  /** {@code n} square pairs {@code (r, r²)}. */
  record Squares(int n) implements CorrelationRequest {
    public Squares {
      positive(n, "square pair count");
    }

    @Override
    public int kind() {
      return 2;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), n};
    }
  }

  /** {@code n} truncation tuples {@code (r, r >>> f, msb r)} for a shift of {@code fracBits}. */
  record Truncation(int n, int fracBits) implements CorrelationRequest {
    public Truncation {
      positive(n, "truncation tuple count");
      if (fracBits < 1 || fracBits > 62) {
        throw new IllegalArgumentException("truncation shift must be in [1, 62], got " + fracBits);
      }
    }

    @Override
    public int kind() {
      return 3;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), n, fracBits};
    }
  }

  /** A matmul triple: A like the left operand, B like the right, C = A·B. */
  record MatMul(MatMulShape shape) implements CorrelationRequest {
    @Override
    public int kind() {
      return 4;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), shape.m(), shape.k(), shape.n()};
    }
  }

  /** A conv2d triple: A like the input, B like the weights, C = conv(A, B). */
  record Conv(Conv2dShape shape) implements CorrelationRequest {
    @Override
    public int kind() {
      return 5;
    }

    @Override
    public long[] encode() {
      return withConv(new long[] {kind()}, shape);
    }
  }

  /**
   * Shares of a fresh uniform weight mask {@code B} of {@code numel} elements, fixed for the rest
   * of the session under {@code maskId}. Costs the dealer two seeds and no correction.
   */
  record WeightMask(int maskId, int numel) implements CorrelationRequest {
    public WeightMask {
      if (maskId < 0) {
        throw new IllegalArgumentException("mask id must be >= 0, got " + maskId);
      }
      positive(numel, "weight mask size");
    }

    @Override
    public int kind() {
      return 6;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), maskId, numel};
    }
  }

  /** Fresh {@code A} (like the input) and {@code C = conv(A, B)} for the fixed mask {@code maskId}. */
  record ConvFixedMask(int maskId, Conv2dShape shape) implements CorrelationRequest {
    @Override
    public int kind() {
      return 7;
    }

    @Override
    public long[] encode() {
      return withConv(new long[] {kind(), maskId}, shape);
    }
  }

  /** Fresh {@code A} (left operand) and {@code C = A · B} for the fixed right mask {@code maskId}. */
  record MatMulFixedMask(int maskId, MatMulShape shape) implements CorrelationRequest {
    @Override
    public int kind() {
      return 8;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), maskId, shape.m(), shape.k(), shape.n()};
    }
  }

  /** {@code n} random OTs on 128-bit strings; party 0 is the sender, party 1 the receiver. */
  record RandomOt(int n) implements CorrelationRequest {
    public RandomOt {
      positive(n, "random OT count");
    }

    @Override
    public int kind() {
      return 9;
    }

    @Override
    public long[] encode() {
      return new long[] {kind(), n};
    }
  }

  /** Inverse of {@link #encode}; rejects unknown kinds and wrong lengths with a clear message. */
  static CorrelationRequest decode(long[] e) {
    if (e.length == 0) {
      throw new IllegalArgumentException("empty correlation request encoding");
    }
    int kind = (int) e[0];
    int[] f = new int[e.length - 1];
    for (int i = 1; i < e.length; i++) {
      if (e[i] < Integer.MIN_VALUE || e[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("correlation request field out of int range: " + Arrays.toString(e));
      }
      f[i - 1] = (int) e[i];
    }
    CorrelationRequest r =
        switch (kind) {
          case 1 -> f.length == 1 ? new Triples(f[0]) : null;
          case 2 -> f.length == 1 ? new Squares(f[0]) : null;
          case 3 -> f.length == 2 ? new Truncation(f[0], f[1]) : null;
          case 4 -> f.length == 3 ? new MatMul(new MatMulShape(f[0], f[1], f[2])) : null;
          case 5 -> f.length == 9 ? new Conv(conv(f, 0)) : null;
          case 6 -> f.length == 2 ? new WeightMask(f[0], f[1]) : null;
          case 7 -> f.length == 10 ? new ConvFixedMask(f[0], conv(f, 1)) : null;
          case 8 -> f.length == 4 ? new MatMulFixedMask(f[0], new MatMulShape(f[1], f[2], f[3])) : null;
          case 9 -> f.length == 1 ? new RandomOt(f[0]) : null;
          default -> throw new IllegalArgumentException("unknown correlation request kind " + kind);
        };
    if (r == null) {
      throw new IllegalArgumentException(
          "correlation request of kind " + kind + " has the wrong number of fields: " + f.length);
    }
    return r;
  }

  private static Conv2dShape conv(int[] f, int o) {
    return new Conv2dShape(f[o], f[o + 1], f[o + 2], f[o + 3], f[o + 4], f[o + 5], f[o + 6], f[o + 7], f[o + 8]);
  }

  private static long[] withConv(long[] head, Conv2dShape s) {
    long[] out = Arrays.copyOf(head, head.length + 9);
    int o = head.length;
    out[o] = s.batch();
    out[o + 1] = s.inC();
    out[o + 2] = s.h();
    out[o + 3] = s.w();
    out[o + 4] = s.outC();
    out[o + 5] = s.kH();
    out[o + 6] = s.kW();
    out[o + 7] = s.stride();
    out[o + 8] = s.pad();
    return out;
  }

  private static void positive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + n);
    }
  }
}
