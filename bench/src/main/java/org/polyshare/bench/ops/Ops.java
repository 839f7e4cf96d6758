package org.polyshare.bench.ops;

import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;

/** The ops of {@code bench ops}, by name. */
public final class Ops {
  private Ops() {}

  public static OpCase mul(int n, int fracBits) {
    return new MulOp(n, fracBits);
  }

  public static OpCase square(int n, int fracBits) {
    return new SquareOp(n, fracBits);
  }

  public static OpCase trunc(int n, int fracBits) {
    return new TruncOp(n, fracBits);
  }

  /** {@code (x + 1/2)^degree}, {@code 1 ≤ degree ≤ 8}. */
  public static OpCase poly(int n, int fracBits, int degree) {
    return new PolyOp(n, fracBits, degree);
  }

  public static OpCase matmul(MatMulShape s, LinearMode mode, int fracBits) {
    return new MatMulOp(s, mode, fracBits);
  }

  public static OpCase conv2d(Conv2dShape s, LinearMode mode, int fracBits) {
    return new Conv2dOp(s, mode, fracBits);
  }
}
