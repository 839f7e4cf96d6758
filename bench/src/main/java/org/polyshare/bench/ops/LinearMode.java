package org.polyshare.bench.ops;

/** How matmul/conv2d treat party 0's weight operand. */
public enum LinearMode {
  /** Fixed weight mask; party 0 holds W in the clear and computes the product alone. */
  owner,
  /** Fixed weight mask on a shared W; both parties compute. */
  fixed,
  /** A generic Beaver triple of the product's shape. */
  beaver
}
