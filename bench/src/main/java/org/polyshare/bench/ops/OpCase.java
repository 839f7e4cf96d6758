package org.polyshare.bench.ops;

import org.polyshare.core.protocol.Party;

/**
 * One op of {@code bench ops}: its data, its secure form between two parties and the same
 * computation in plaintext int64 (the baseline) and in double (the error reference). Party 0 holds
 * the weight operand, party 1 the input.
 */
public interface OpCase {
  /** The shape for the report, e.g. {@code size=1048576} or {@code m=1024 k=576 n=64}. */
  String shape();

  int inputLength();

  /** Length of party 0's operand (1, unused, for ops of the input alone). */
  int weightLength();

  /** Inputs are drawn uniformly from {@code [-inputBound, inputBound]}. */
  double inputBound();

  double weightBound();

  /**
   * One party's instance of the op, after the untimed setup: {@code weightShare} is its share of
   * party 0's operand, {@code plainWeights} the operand itself on party 0 (null on party 1).
   */
  OpSession open(Party p, long[] weightShare, long[] plainWeights);

  /** The op on the encoded operands in int64 on one thread, with the same truncations. */
  long[] plaintext(long[] x, long[] w);

  /** The exact result in double, to measure the secure result's error. */
  double[] reference(double[] x, double[] w);
}
