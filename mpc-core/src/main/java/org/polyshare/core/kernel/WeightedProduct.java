package org.polyshare.core.kernel;

/**
 * {@code left ⊗ W} for one right operand W that stays fixed (a layer's plaintext weights): the map
 * with W bound, and for a 3×3 convolution whose weights are narrow the {@link WinogradConv} made
 * from W once. Same bits as {@link BilinearMap#applyAdd} either way.
 */
public final class WeightedProduct {
  private final BilinearMap map;
  private final long[] right;
  private final WinogradConv winograd;

  private WeightedProduct(BilinearMap map, long[] right, WinogradConv winograd) {
    this.map = map;
    this.right = right;
    this.winograd = winograd;
  }

  /** Binds {@code right} (not copied: it must not change afterwards). */
  public static WeightedProduct of(BilinearMap map, long[] right) {
    if (right.length != map.rightNumel()) {
      throw new IllegalArgumentException(
          "right operand of " + right.length + " elements does not match " + map);
    }
    WinogradConv w = map instanceof Conv2dShape s ? WinogradConv.of(right, s) : null;
    return new WeightedProduct(map, right, w);
  }

  public BilinearMap map() {
    return map;
  }

  /** Whether the Winograd kernel runs this product. */
  public boolean winograd() {
    return winograd != null;
  }

  /** {@code out += left ⊗ W}. */
  public void applyAdd(long[] left, long[] out) {
    if (winograd != null) {
      winograd.applyAdd(left, out);
    } else {
      map.applyAdd(left, right, out);
    }
  }

  /** A new {@code left ⊗ W}. */
  public long[] apply(long[] left) {
    long[] out = new long[map.outputNumel()];
    applyAdd(left, out);
    return out;
  }

  /** {@code out += left ⊗ W} block by block as {@code left} arrives ({@link BlockedProduct}). */
  public BlockedProduct blocked(long[] out, int grainLongs) {
    return new BlockedProduct(map, right, winograd, out, grainLongs);
  }
}
