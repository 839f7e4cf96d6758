package org.polyshare.core.kernel;

import java.util.Arrays;

/**
 * 2-D convolution over Z_2^64, NCHW, by im2col and {@link RingGemm}: per image, the input patches
 * are laid out as a {@code [inC·kH·kW, outH·outW]} matrix and the weights {@code [outC, inC·kH·kW]}
 * multiply it, which yields that image's NCHW output directly. Zero padding, one stride, no bias.
 * The map is bilinear in (input, weights), which the Beaver-style protocols rely on. It runs over
 * the kernel pool ({@link RingThreads}); the result is bit-identical for every thread count.
 */
public final class RingConv {
  /** Patch elements below which an im2col block is not worth a hand-off (it is a copy). */
  private static final int IM2COL_GRAIN = 1 << 16;

  /**
   * The largest patch matrix a thread keeps between calls (16 MiB; CIFAR-sized layers fit), so that
   * convolutions stop allocating, and the JVM zeroing, a matrix per call: a ResNet-18 forward at
   * batch 1 drew 32 MiB of them. Larger ones are allocated per call and dropped.
   */
  static final int KEPT_PATCH_LONGS = 2 << 20;

  /**
   * Each thread's patch matrix, reused by every convolution that thread runs. Safe because a matrix
   * is filled and read within one call on one thread (im2col writes every element of the rows the
   * GEMM then reads, padding included) and no convolution runs inside another's blocks.
   */
  private static final ThreadLocal<long[]> PATCHES = ThreadLocal.withInitial(() -> new long[0]);

  private RingConv() {}

  /** A new output {@code [batch, outC, outH, outW]}. */
  public static long[] conv2d(long[] input, long[] weights, Conv2dShape s) {
    long[] out = new long[s.outputNumel()];
    conv2dInto(input, weights, out, s);
    return out;
  }

  /** Writes the convolution into {@code out} (overwritten). */
  public static void conv2dInto(long[] input, long[] weights, long[] out, Conv2dShape s) {
    conv2dInto(RingThreads.shared(), input, weights, out, s);
  }

  static void conv2dInto(
      RingThreads pool, long[] input, long[] weights, long[] out, Conv2dShape s) {
    check(input, weights, out, s);
    Arrays.fill(out, 0L);
    accumulate(pool, input, weights, out, s);
  }

  /** {@code out += conv(input, weights)}. */
  public static void conv2dAdd(long[] input, long[] weights, long[] out, Conv2dShape s) {
    conv2dAdd(RingThreads.shared(), input, weights, out, s);
  }

  static void conv2dAdd(RingThreads pool, long[] input, long[] weights, long[] out, Conv2dShape s) {
    check(input, weights, out, s);
    accumulate(pool, input, weights, out, s);
  }

  private static void check(long[] input, long[] weights, long[] out, Conv2dShape s) {
    if (input.length != s.inputNumel()
        || weights.length != s.weightNumel()
        || out.length != s.outputNumel()) {
      throw new IllegalArgumentException(
          "conv2d operand sizes (input "
              + input.length
              + ", weights "
              + weights.length
              + ", output "
              + out.length
              + ") do not match "
              + s
              + " (expects "
              + s.inputNumel()
              + ", "
              + s.weightNumel()
              + ", "
              + s.outputNumel()
              + ")");
    }
  }

  /**
   * With at least as many images as threads, contiguous blocks of images run whole (each block its
   * own patch buffer, its GEMMs inline); otherwise image by image, the im2col split over input
   * channels (disjoint rows of the patch matrix) and the GEMM over its rows (output channels).
   */
  private static void accumulate(
      RingThreads pool, long[] input, long[] weights, long[] out, Conv2dShape s) {
    int plane = s.outH() * s.outW();
    int kk = s.patchSize();
    boolean pointwise = s.kH() == 1 && s.kW() == 1 && s.stride() == 1 && s.pad() == 0;
    int inImage = s.inC() * s.h() * s.w();
    int outImage = s.outC() * plane;
    if (s.batch() > 1 && s.batch() >= pool.threads()) {
      int grain = RingGemm.grain((long) s.outC() * kk * plane);
      pool.forEachBlock(
          s.batch(),
          grain,
          (b0, b1) -> {
            long[] cols = pointwise ? null : patches(kk * plane);
            for (int b = b0; b < b1; b++) {
              image(RingThreads.INLINE, input, weights, out, s, b * inImage, b * outImage, cols);
            }
          });
      return;
    }
    long[] cols = pointwise ? null : patches(kk * plane);
    for (int b = 0; b < s.batch(); b++) {
      image(pool, input, weights, out, s, b * inImage, b * outImage, cols);
    }
  }

  private static void image(
      RingThreads pool,
      long[] input,
      long[] weights,
      long[] out,
      Conv2dShape s,
      int inOff,
      int outOff,
      long[] cols) {
    int plane = s.outH() * s.outW();
    int kk = s.patchSize();
    if (cols == null) {
      // A 1x1 stride-1 convolution is already a GEMM on the image as stored.
      RingGemm.multiplyAdd(pool, weights, 0, input, inOff, out, outOff, s.outC(), kk, plane);
      return;
    }
    int perChannel = s.kH() * s.kW() * plane;
    pool.forEachBlock(
        s.inC(),
        Math.max(1, IM2COL_GRAIN / perChannel),
        (c0, c1) -> im2col(input, inOff, s, cols, c0, c1));
    RingGemm.multiplyAdd(pool, weights, 0, cols, 0, out, outOff, s.outC(), kk, plane);
  }

  /**
   * {@code out += } the convolution of input channels {@code [c0, c1)} of image {@code image} with
   * their weights: the k-block {@code [c0·kH·kW, c1·kH·kW)} of that image's GEMM (a column block of
   * the weights, the same rows of the patch matrix). Over any partition of the channels the blocks
   * add up to {@link #conv2dAdd} of the image, bit for bit, so a receiver can convolve the channels
   * that have arrived while the rest are on the wire. Only the block's rows of this thread's patch
   * matrix are written and read, so the blocks share no state between calls.
   */
  public static void conv2dAddChannels(
      long[] input, long[] weights, long[] out, Conv2dShape s, int image, int c0, int c1) {
    check(input, weights, out, s);
    if (image < 0 || image >= s.batch() || c0 < 0 || c1 > s.inC() || c0 > c1) {
      throw new IllegalArgumentException(
          "channels [" + c0 + ", " + c1 + ") of image " + image + " are outside " + s);
    }
    RingThreads pool = RingThreads.shared();
    int plane = s.outH() * s.outW();
    int kk = s.patchSize();
    int perChannel = s.kH() * s.kW();
    int inOff = image * s.inC() * s.h() * s.w();
    int outOff = image * s.outC() * plane;
    if (isPointwise(s)) {
      RingGemm.multiplyAdd(
          pool,
          weights,
          c0,
          s.inC(),
          input,
          inOff + c0 * plane,
          out,
          outOff,
          s.outC(),
          c1 - c0,
          plane);
      return;
    }
    long[] cols = patches(kk * plane);
    pool.forEachBlock(
        c1 - c0,
        Math.max(1, IM2COL_GRAIN / (perChannel * plane)),
        (b0, b1) -> im2col(input, inOff, s, cols, c0 + b0, c0 + b1));
    RingGemm.multiplyAdd(
        pool,
        weights,
        c0 * perChannel,
        kk,
        cols,
        c0 * perChannel * plane,
        out,
        outOff,
        s.outC(),
        (c1 - c0) * perChannel,
        plane);
  }

  /**
   * This thread's patch matrix of at least {@code longs} elements (its contents are stale: callers
   * overwrite the rows they read); above {@link #KEPT_PATCH_LONGS} a fresh one, not kept.
   */
  static long[] patches(int longs) {
    long[] kept = PATCHES.get();
    if (kept.length >= longs) {
      return kept;
    }
    long[] fresh = new long[longs];
    if (longs <= KEPT_PATCH_LONGS) {
      PATCHES.set(fresh);
    }
    return fresh;
  }

  private static boolean isPointwise(Conv2dShape s) {
    return s.kH() == 1 && s.kW() == 1 && s.stride() == 1 && s.pad() == 0;
  }

  static void im2col(long[] input, int off, Conv2dShape s, long[] cols) {
    im2col(input, off, s, cols, 0, s.inC());
  }

  /**
   * Rows of input channels {@code [c0, c1)} of one image's patch matrix: row {@code (c, ky, kx)},
   * column {@code (oy, ox)}.
   */
  static void im2col(long[] input, int off, Conv2dShape s, long[] cols, int c0, int c1) {
    int h = s.h();
    int w = s.w();
    int oh = s.outH();
    int ow = s.outW();
    int stride = s.stride();
    int pad = s.pad();
    int row = c0 * s.kH() * s.kW();
    for (int c = c0; c < c1; c++) {
      int chan = off + c * h * w;
      for (int ky = 0; ky < s.kH(); ky++) {
        for (int kx = 0; kx < s.kW(); kx++, row++) {
          int dst = row * oh * ow;
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * stride - pad + ky;
            int d = dst + oy * ow;
            if (iy < 0 || iy >= h) {
              Arrays.fill(cols, d, d + ow, 0L);
              continue;
            }
            int src = chan + iy * w;
            if (stride == 1) {
              // Contiguous run: valid ox satisfy 0 <= ox - pad + kx < w. The padding at either end
              // is most often one element: plain stores, as a call to Arrays.fill per patch row
              // (not inlined here) took a few percent of a padded convolution (JFR).
              int lo = Math.max(0, pad - kx);
              int hi = Math.min(ow, w + pad - kx);
              for (int x = d, end = d + Math.min(lo, ow); x < end; x++) {
                cols[x] = 0L;
              }
              if (hi > lo) {
                System.arraycopy(input, src + lo - pad + kx, cols, d + lo, hi - lo);
              }
              for (int x = d + Math.max(hi, 0), end = d + ow; x < end; x++) {
                cols[x] = 0L;
              }
            } else {
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * stride - pad + kx;
                cols[d + ox] = (ix < 0 || ix >= w) ? 0L : input[src + ix];
              }
            }
          }
        }
      }
    }
  }

  /** Reference direct convolution (slow, for tests). */
  public static long[] conv2dDirect(long[] input, long[] weights, Conv2dShape s) {
    long[] out = new long[s.outputNumel()];
    int oh = s.outH();
    int ow = s.outW();
    for (int b = 0; b < s.batch(); b++) {
      for (int o = 0; o < s.outC(); o++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            long acc = 0;
            for (int c = 0; c < s.inC(); c++) {
              for (int ky = 0; ky < s.kH(); ky++) {
                int iy = oy * s.stride() - s.pad() + ky;
                if (iy < 0 || iy >= s.h()) {
                  continue;
                }
                for (int kx = 0; kx < s.kW(); kx++) {
                  int ix = ox * s.stride() - s.pad() + kx;
                  if (ix < 0 || ix >= s.w()) {
                    continue;
                  }
                  acc +=
                      input[((b * s.inC() + c) * s.h() + iy) * s.w() + ix]
                          * weights[((o * s.inC() + c) * s.kH() + ky) * s.kW() + kx];
                }
              }
            }
            out[((b * s.outC() + o) * oh + oy) * ow + ox] = acc;
          }
        }
      }
    }
    return out;
  }

  /**
   * Sum pooling (the linear part of average pooling): window {@code k×k}, stride, no padding, input
   * {@code [batch, channels, h, w]}; output {@code [batch, channels, (h−k)/stride+1,
   * (w−k)/stride+1]}.
   */
  public static long[] sumPool2d(
      long[] input, int batch, int channels, int h, int w, int k, int stride) {
    if (k < 1 || stride < 1 || k > h || k > w || input.length != batch * channels * h * w) {
      throw new IllegalArgumentException(
          "sum pool: window "
              + k
              + " stride "
              + stride
              + " does not fit input ["
              + batch
              + ","
              + channels
              + ","
              + h
              + ","
              + w
              + "] of "
              + input.length
              + " elements");
    }
    int oh = (h - k) / stride + 1;
    int ow = (w - k) / stride + 1;
    long[] out = new long[batch * channels * oh * ow];
    for (int bc = 0; bc < batch * channels; bc++) {
      int in = bc * h * w;
      int o = bc * oh * ow;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          long acc = 0;
          for (int ky = 0; ky < k; ky++) {
            int row = in + (oy * stride + ky) * w + ox * stride;
            for (int kx = 0; kx < k; kx++) {
              acc += input[row + kx];
            }
          }
          out[o + oy * ow + ox] = acc;
        }
      }
    }
    return out;
  }
}
