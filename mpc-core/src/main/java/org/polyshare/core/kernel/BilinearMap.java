package org.polyshare.core.kernel;

/**
 * A map {@code ⊗ : Z^left × Z^right → Z^out} over Z_2^64 that is linear in each argument: an
 * elementwise product, a matrix product or a 2-D convolution. Bilinearity is all the Beaver-style
 * protocols need ({@code (E + A) ⊗ (F + B) = E ⊗ F + E ⊗ B + A ⊗ F + A ⊗ B}), so triples,
 * fixed-mask triples, the dealer's corrections and the fixed-weight layers are written once over
 * this interface. The map's fields are its shape; two equal maps are the same function.
 *
 * <p>Canonical encoding ({@link #encode}): {@code [code, fields...]}, code 1 elementwise, 2 matmul,
 * 3 conv2d, the fields in record-component order. It is part of the correlation plan's wire form.
 */
public sealed interface BilinearMap permits Elementwise, MatMulShape, Conv2dShape {

  /** Elements of the left operand (the layer input). */
  int leftNumel();

  /** Elements of the right operand (the weights). */
  int rightNumel();

  int outputNumel();

  /** Shape of the result, e.g. {@code [batch, outC, outH, outW]} for a convolution. */
  int[] outputShape();

  /** {@code out += left ⊗ right}. */
  void applyAdd(long[] left, long[] right, long[] out);

  /** A new {@code left ⊗ right}. */
  default long[] apply(long[] left, long[] right) {
    long[] out = new long[outputNumel()];
    applyAdd(left, right, out);
    return out;
  }

  /**
   * The same map for another batch (the leading axis of the left operand and of the output); the
   * right operand keeps its shape, which is why a fixed weight mask serves every batch size.
   */
  BilinearMap withBatch(int batch);

  /** {@code [code, fields...]}; see the class comment. */
  long[] encode();

  /** Inverse of {@link #encode} for {@code f[from..]}, which must hold exactly one map. */
  static BilinearMap decode(int[] f, int from) {
    int n = f.length - from;
    if (n < 1) {
      throw new IllegalArgumentException("bilinear map encoding is empty");
    }
    int code = f[from];
    int o = from + 1;
    int want =
        switch (code) {
          case Elementwise.CODE -> 1;
          case MatMulShape.CODE -> 3;
          case Conv2dShape.CODE -> 9;
          default -> throw new IllegalArgumentException("unknown bilinear map code " + code);
        };
    if (n - 1 != want) {
      throw new IllegalArgumentException(
          "bilinear map of code " + code + " needs " + want + " fields, got " + (n - 1));
    }
    return switch (code) {
      case Elementwise.CODE -> new Elementwise(f[o]);
      case MatMulShape.CODE -> new MatMulShape(f[o], f[o + 1], f[o + 2]);
      default ->
          new Conv2dShape(
              f[o], f[o + 1], f[o + 2], f[o + 3], f[o + 4], f[o + 5], f[o + 6], f[o + 7], f[o + 8]);
    };
  }
}
