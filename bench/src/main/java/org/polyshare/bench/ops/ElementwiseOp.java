package org.polyshare.bench.ops;

/**
 * An op applied element by element to {@code n} values: party 1's input and, for binary ops, party
 * 0's operand of the same length.
 */
abstract class ElementwiseOp implements OpCase {
  final int n;
  final int f;
  private final double inputBound;
  private final double weightBound;

  /** {@code weightBound == 0}: a unary op (party 0's operand is one unused element). */
  ElementwiseOp(int n, int fracBits, double inputBound, double weightBound) {
    if (n < 1) {
      throw new IllegalArgumentException("--size must be >= 1, got " + n);
    }
    this.n = n;
    this.f = fracBits;
    this.inputBound = inputBound;
    this.weightBound = weightBound;
  }

  @Override
  public String shape() {
    return "size=" + n;
  }

  @Override
  public int inputLength() {
    return n;
  }

  @Override
  public int weightLength() {
    return weightBound == 0 ? 1 : n;
  }

  @Override
  public double inputBound() {
    return inputBound;
  }

  @Override
  public double weightBound() {
    return weightBound == 0 ? 1 : weightBound;
  }
}
