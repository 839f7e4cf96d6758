package org.polyshare.core.kernel;

/**
 * A 3×3, stride-1, pad-1 convolution over Z_2^64 with fixed narrow weights by Winograd's minimal
 * filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR
 * 2016): each 2×2 output tile costs 16 multiplies per input channel instead of 36, so the product
 * does 16/36 = 4/9 of the direct convolution's multiply-adds. It is the owner's online product and
 * the plaintext forward for most of a ResNet; the result is bit-identical to {@link RingConv}.
 *
 * <p><b>Why it is exact in the ring.</b> With {@code Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A} for a 4×4 input
 * tile d and a 3×3 filter g, the identity holds over the rationals, but G has entries 1/2, which
 * Z_2^64 cannot divide by. So the input is cut into the limbs of {@link LimbGemm} first, {@code x =
 * L0 + 2^22·L1 + 2^43·L2} with {@code 0 ≤ L < 2^22}, and each limb's convolution is computed over
 * the integers, where every step is exact: {@code V = Bᵀ L B} has entries below 2^24 in magnitude
 * (four limb values with signs), {@code U' = (2G) g (2G)ᵀ = 4·G g Gᵀ} is an integer matrix below
 * {@code 9 · max|g|}, the channel sums {@code M = Σ_c U' ⊙ V} run in exact doubles in chunks whose
 * partial sums stay below 2^51 (as in {@link LimbGemm}) and then in longs, and {@code Aᵀ M A =
 * 4·conv(L, g)} exactly. Limb 0's output is therefore {@code (Aᵀ M_0 A) >> 2}, exact; limbs 1 and 2
 * sit at 2^22 and 2^43, so theirs is {@code 2^(s−2) · Aᵀ M A} mod 2^64 and needs no division, and
 * those two are summed in one accumulator. {@code conv(x, g) ≡ Σ_l 2^{s_l} conv(L_l, g) (mod
 * 2^64)}.
 *
 * <p><b>Layout.</b> Per position ξ of the 4×4 transform, the channel sum is a product {@code
 * M_ξ[tile, o] = Σ_c V_ξ[tile, c] · U'_ξ[c, o]}: quads of tiles are the broadcast side of {@link
 * LimbGemm#tile}, eight output channels its vector side. The transformed weights are made once per
 * weight tensor ({@link #of}) and kept as doubles, {@code 16/9 · 8} bytes per weight.
 */
public final class WinogradConv {
  /** Positions of the 4×4 transform. */
  private static final int XI = 16;

  /** Widest weights the chunk still covers ({@code 9·2^20 · 2^24 · 8 < 2^51}). */
  static final int MAX_ALPHA = 20;

  private static final int MIN_CHUNK = 8;

  /**
   * Output channels below which the direct kernel wins. The input transform costs the same per
   * input channel and tile whatever the output count, the sums and the saving grow with it: on a
   * 2-vCPU Zen 3 guest (JDK 17, both threads, the owner's blocked product) ResNet-18's 64-channel
   * layer took 11–13 ms against the direct kernel's 10.5–11, its 128-, 256- and 512-channel layers
   * 5–6, 4 and 5–6 ms against 8–9.5, 9 and 13–14.
   */
  static final int MIN_OUT_CHANNELS = 128;

  /**
   * Channels summed at once when blocks arrive: the micro-kernel flushes its eight accumulators
   * once per run of channels, which at a 16-channel block (a ResNet stage-1 piece) cost as much as
   * the sums.
   */
  static final int BATCH_CHANNELS = 32;

  private static final int MAX_CHUNK = 256;

  private final Conv2dShape shape;
  private final int tiles;
  private final int quads;

  /**
   * The distance between two positions ξ in the transformed input and in the sums: a plane plus one
   * cache line. Unpadded, ResNet planes are multiples of 4 KiB apart, so the transforms' 48 write
   * streams (32 read streams) fell into one L1 set and evicted each other.
   */
  private final int vPlane;

  private final int mPlane;

  /** {@code U'} as {@code [ξ][outC/8][inC][8]}. */
  private final double[] weights;

  /** Channels per exact double sum. */
  private final int chunk;

  private WinogradConv(Conv2dShape shape, double[] weights, int chunk) {
    this.shape = shape;
    this.tiles = shape.outH() / 2 * (shape.outW() / 2);
    this.quads = tiles / 4;
    this.vPlane = quads * shape.inC() * 4 + 8;
    this.mPlane = tiles * shape.outC() + 8;
    this.weights = weights;
    this.chunk = chunk;
  }

  /**
   * The Winograd product for weights {@code [outC, inC, 3, 3]} of {@code s}, or null where it does
   * not apply or does not pay: the limb kernel off ({@link RingKernels#limbs}), fewer than {@value
   * #MIN_OUT_CHANNELS} output channels, or anything {@link #ofAnyKernels} declines.
   */
  public static WinogradConv of(long[] w, Conv2dShape s) {
    return RingKernels.limbs() && s.outC() >= MIN_OUT_CHANNELS ? ofAnyKernels(w, s) : null;
  }

  /**
   * The Winograd product whatever the kernel choice and channel count (tests run it everywhere), or
   * null where it does not apply: another kernel, stride or padding; an odd output plane or a tile
   * count that is not a multiple of 4; output channels not a multiple of 8; or weights at or above
   * {@code 2^}{@value #MAX_ALPHA} in magnitude.
   */
  static WinogradConv ofAnyKernels(long[] w, Conv2dShape s) {
    if (s.kH() != 3
        || s.kW() != 3
        || s.stride() != 1
        || s.pad() != 1
        || s.outH() % 2 != 0
        || s.outW() % 2 != 0
        || (s.outH() / 2 * (s.outW() / 2)) % 4 != 0
        || s.outC() % 8 != 0
        || w.length != s.weightNumel()) {
      return null;
    }
    int inC = s.inC();
    int alpha = LimbGemm.alpha(w, 0, w.length, 1, w.length);
    // Limb 0's 4·conv(L0, g) is summed exactly in a long: |·| < 36·inC · 2^22 · 2^α ≤ 2^63.
    if (alpha > MAX_ALPHA || 64 - Long.numberOfLeadingZeros(36L * inC) + 22 + alpha > 63) {
      return null;
    }
    int groups = s.outC() / 8;
    double[] u = new double[XI * s.weightNumel() / 9];
    long most = 1;
    long[] t = new long[XI];
    for (int o = 0; o < s.outC(); o++) {
      for (int c = 0; c < inC; c++) {
        transformFilter(w, (o * inC + c) * 9, t);
        int g = o / 8;
        int lane = o % 8;
        for (int xi = 0; xi < XI; xi++) {
          u[((xi * groups + g) * inC + c) * 8 + lane] = t[xi];
          most = Math.max(most, Math.abs(t[xi]));
        }
      }
    }
    // |V| < 2^24, so a chunk of kc channels sums below kc · most · 2^24 ≤ 2^51.
    long chunk = Math.min(MAX_CHUNK, ((1L << 51) - 1) / (most << 24));
    if (chunk < MIN_CHUNK) {
      return null;
    }
    return new WinogradConv(s, u, (int) chunk);
  }

  /** {@code U' = (2G) g (2G)ᵀ} for the 3×3 filter at {@code off}, row-major 4×4 into {@code t}. */
  private static void transformFilter(long[] w, int off, long[] t) {
    long[] r = new long[12]; // (2G) g: 4×3
    for (int j = 0; j < 3; j++) {
      long g0 = w[off + j];
      long g1 = w[off + 3 + j];
      long g2 = w[off + 6 + j];
      r[j] = 2 * g0;
      r[3 + j] = g0 + g1 + g2;
      r[6 + j] = g0 - g1 + g2;
      r[9 + j] = 2 * g2;
    }
    for (int i = 0; i < 4; i++) {
      long g0 = r[3 * i];
      long g1 = r[3 * i + 1];
      long g2 = r[3 * i + 2];
      t[4 * i] = 2 * g0;
      t[4 * i + 1] = g0 + g1 + g2;
      t[4 * i + 2] = g0 - g1 + g2;
      t[4 * i + 3] = 2 * g2;
    }
  }

  public Conv2dShape shape() {
    return shape;
  }

  /** {@code out += conv(input, weights)}, the whole input at once. */
  public void applyAdd(long[] input, long[] out) {
    Pass pass = begin(input, out);
    for (int b = 0; b < shape.batch(); b++) {
      pass.add(b, 0, shape.inC());
    }
    pass.finish();
  }

  /**
   * A product fed channel block by channel block ({@link BlockedProduct}): {@link Pass#add} runs a
   * block's channels of one image, in order; the output transform of an image runs when the next
   * image starts and at {@link Pass#finish}.
   */
  public Pass begin(long[] input, long[] out) {
    if (input.length != shape.inputNumel() || out.length != shape.outputNumel()) {
      throw new IllegalArgumentException(
          "Winograd conv operands of "
              + input.length
              + " and "
              + out.length
              + " elements do not match "
              + shape);
    }
    return new Pass(input, out);
  }

  /** One product in progress. */
  public final class Pass {
    private final long[] input;
    private final long[] out;

    private final Scratch scratch;

    /** Limb-transformed input {@code [limb][ξ][quad][inC][4]}, per image (planes padded). */
    private final double[] v;

    /**
     * Limb 0's channel sums, and limbs 1 and 2's at {@code 2^(s−2)}: {@code [ξ][outC/8][tile][8]}
     * (planes padded), so that the output transform of a group of eight channels reads 32
     * sequential streams.
     */
    private final long[] low;

    private final long[] high;
    private int image = -1;
    private int channels;
    private int summed;

    private Pass(long[] input, long[] out) {
      this.input = input;
      this.out = out;
      Scratch kept = SCRATCH.get();
      this.scratch = kept.busy ? new Scratch() : kept;
      scratch.busy = true;
      this.v = scratch.v = grown(scratch.v, 3 * XI * vPlane);
      this.low = scratch.low = grown(scratch.low, XI * mPlane);
      this.high = scratch.high = grown(scratch.high, XI * mPlane);
    }

    /**
     * Adds input channels {@code [c0, c1)} of {@code image}, which follow the ones added: their
     * input transform now, their channel sums once {@value #BATCH_CHANNELS} channels (or the chunk,
     * or the last) are in, so that a small block does not cut the sums' runs short.
     */
    public void add(int image, int c0, int c1) {
      if (image != this.image) {
        if (this.image >= 0) {
          outputTransform();
        }
        if (image <= this.image || image >= shape.batch()) {
          throw new IllegalArgumentException(
              "image " + image + " after image " + this.image + " of " + shape);
        }
        this.image = image;
        channels = 0;
        summed = 0;
        java.util.Arrays.fill(low, 0, XI * mPlane, 0L);
        java.util.Arrays.fill(high, 0, XI * mPlane, 0L);
      }
      if (c0 != channels || c1 < c0 || c1 > shape.inC()) {
        throw new IllegalArgumentException(
            "channels [" + c0 + ", " + c1 + ") after " + channels + " of " + shape);
      }
      RingThreads pool = RingThreads.shared();
      int perChannel = 3 * XI * tiles;
      pool.forEachBlock(
          c1 - c0, Math.max(1, (1 << 14) / perChannel), (a, b) -> inputTransform(c0 + a, c0 + b));
      channels = c1;
      if (channels - summed >= Math.min(chunk, BATCH_CHANNELS) || channels == shape.inC()) {
        sums();
      }
    }

    /** The channel sums of the channels transformed and not yet summed. */
    private void sums() {
      int p0 = summed;
      int p1 = channels;
      long macsPerGroup = 3L * XI * tiles * (p1 - p0) * 8;
      RingThreads.shared()
          .forEachBlock(
              shape.outC() / 8, RingGemm.grain(macsPerGroup), (g0, g1) -> products(p0, p1, g0, g1));
      summed = p1;
    }

    /** Runs the output transform of the last image added; the pass is over. */
    public void finish() {
      if (image >= 0 && image < shape.batch()) {
        outputTransform();
      }
      image = shape.batch();
      scratch.busy = false;
    }

    /**
     * {@code V = Bᵀ L B} for every tile of channels {@code [c0, c1)} and every limb, from a
     * zero-padded copy of the channels (so the 4×4 patches need no bounds tests). Scalar: a 4-lane
     * version over the tiles of a quad (columns split by parity) measured slower on JDK 17.
     */
    private void inputTransform(int c0, int c1) {
      int h = shape.h();
      int w = shape.w();
      int pw = w + 2;
      int pPlane = (h + 2) * pw;
      int tw = shape.outW() / 2;
      int inC = shape.inC();
      long[] padded = new long[(c1 - c0) * pPlane];
      for (int c = c0; c < c1; c++) {
        int src = (image * inC + c) * h * w;
        int dst = (c - c0) * pPlane + pw + 1;
        for (int y = 0; y < h; y++) {
          System.arraycopy(input, src + y * w, padded, dst + y * pw, w);
        }
      }
      int step = vPlane;
      for (int c = c0; c < c1; c++) {
        int base = (c - c0) * pPlane;
        for (int t = 0; t < tiles; t++) {
          int p = base + 2 * (t / tw) * pw + 2 * (t % tw);
          int to = ((t / 4) * inC + c) * 4 + t % 4;
          for (int l = 0; l < 3; l++) {
            transformTile(padded, p, pw, LIMB_SHIFT[l], LIMB_MASK[l], v, l * XI * step + to, step);
          }
        }
      }
    }

    /**
     * The channel sums of channels {@code [c0, c1)} into output-channel groups {@code [g0, g1)}:
     * per ξ, chunk and group, every quad of tiles and every limb ({@link LimbGemm#tile}).
     */
    private void products(int c0, int c1, int g0, int g1) {
      int inC = shape.inC();
      int outC = shape.outC();
      int groups = outC / 8;
      for (int xi = 0; xi < XI; xi++) {
        for (int p0 = c0; p0 < c1; p0 += chunk) {
          int kl = Math.min(chunk, c1 - p0);
          for (int g = g0; g < g1; g++) {
            int bo = ((xi * groups + g) * inC + p0) * 8;
            for (int q = 0; q < quads; q++) {
              int c = xi * mPlane + (g * tiles + 4 * q) * 8;
              for (int l = 0; l < 3; l++) {
                int ao = (l * XI + xi) * vPlane + (q * inC + p0) * 4;
                LimbGemm.tile(v, ao, weights, bo, kl, l == 0 ? low : high, c, 8, LIMB_PLACE[l]);
              }
            }
          }
        }
      }
    }

    /** {@code out += (Aᵀ M_0 A) >> 2 + Aᵀ M_hi A} for every tile and output channel. */
    private void outputTransform() {
      if (summed < channels) {
        sums();
      }
      RingThreads.shared()
          .forEachBlock(
              shape.outC() / 8, Math.max(1, (1 << 9) / tiles), (g0, g1) -> outputs(g0, g1));
    }

    private void outputs(int g0, int g1) {
      int outC = shape.outC();
      int ow = shape.outW();
      int plane = shape.outH() * ow;
      int tw = ow / 2;
      long[] r = new long[8];
      long[] y0 = new long[4];
      long[] y1 = new long[4];
      for (int g = g0; g < g1; g++) {
        for (int t = 0; t < tiles; t++) {
          int y = 2 * (t / tw);
          int x = 2 * (t % tw);
          for (int lane = 0; lane < 8; lane++) {
            int at = (g * tiles + t) * 8 + lane;
            untransform(low, at, mPlane, r, y0);
            untransform(high, at, mPlane, r, y1);
            int dst = (image * outC + 8 * g + lane) * plane + y * ow + x;
            out[dst] += (y0[0] >> 2) + y1[0];
            out[dst + 1] += (y0[1] >> 2) + y1[1];
            out[dst + ow] += (y0[2] >> 2) + y1[2];
            out[dst + ow + 1] += (y0[3] >> 2) + y1[3];
          }
        }
      }
    }
  }

  /**
   * A thread's buffers, reused by its passes (a ResNet stage-1 layer needs 10 MiB; allocating them
   * per call cost more than the transforms, in page faults and zeroing). A pass started while
   * another is open on the same thread gets its own.
   */
  private static final class Scratch {
    double[] v = new double[0];
    long[] low = new long[0];
    long[] high = new long[0];
    boolean busy;
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static double[] grown(double[] a, int n) {
    return a.length >= n ? a : new double[n];
  }

  private static long[] grown(long[] a, int n) {
    return a.length >= n ? a : new long[n];
  }

  /** Where limb l's sums enter: limb 0 alone at 2^0 (divided by 4 later), then 2^(s_l − 2). */
  private static final int[] LIMB_PLACE = {0, LimbGemm.SHIFT1 - 2, LimbGemm.SHIFT2 - 2};

  private static final int[] LIMB_SHIFT = {0, LimbGemm.SHIFT1, LimbGemm.SHIFT2};
  private static final long[] LIMB_MASK = {LimbGemm.MASK0, LimbGemm.MASK1, -1L};

  /**
   * {@code Bᵀ d B} of the 4×4 patch of limb {@code (x >>> shift) & mask} at {@code p[at]} (row
   * stride {@code pw}) into {@code v[to + ξ·step]}, with {@code Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0;
   * 0 1 0 −1]}: the rows of {@code Bᵀ d}, each times B.
   */
  private static void transformTile(
      long[] p, int at, int pw, int shift, long mask, double[] v, int to, int step) {
    int r1 = at + pw;
    int r2 = at + 2 * pw;
    int r3 = at + 3 * pw;
    long a0 = (p[at] >>> shift) & mask;
    long a1 = (p[at + 1] >>> shift) & mask;
    long a2 = (p[at + 2] >>> shift) & mask;
    long a3 = (p[at + 3] >>> shift) & mask;
    long c0 = (p[r2] >>> shift) & mask;
    long c1 = (p[r2 + 1] >>> shift) & mask;
    long c2 = (p[r2 + 2] >>> shift) & mask;
    long c3 = (p[r2 + 3] >>> shift) & mask;
    row(a0 - c0, a1 - c1, a2 - c2, a3 - c3, v, to, step); // d0 − d2
    long b0 = (p[r1] >>> shift) & mask;
    long b1 = (p[r1 + 1] >>> shift) & mask;
    long b2 = (p[r1 + 2] >>> shift) & mask;
    long b3 = (p[r1 + 3] >>> shift) & mask;
    row(b0 + c0, b1 + c1, b2 + c2, b3 + c3, v, to + 4 * step, step); // d1 + d2
    row(c0 - b0, c1 - b1, c2 - b2, c3 - b3, v, to + 8 * step, step); // d2 − d1
    long e0 = (p[r3] >>> shift) & mask;
    long e1 = (p[r3 + 1] >>> shift) & mask;
    long e2 = (p[r3 + 2] >>> shift) & mask;
    long e3 = (p[r3 + 3] >>> shift) & mask;
    row(b0 - e0, b1 - e1, b2 - e2, b3 - e3, v, to + 12 * step, step); // d1 − d3
  }

  /** One row {@code e} of {@code Bᵀ d}, times B: {@code e0−e2, e1+e2, e2−e1, e1−e3}. */
  private static void row(long e0, long e1, long e2, long e3, double[] v, int o, int step) {
    v[o] = exact(e0 - e2);
    v[o + step] = exact(e1 + e2);
    v[o + 2 * step] = exact(e2 - e1);
    v[o + 3 * step] = exact(e1 - e3);
  }

  private static final double MAGIC = 0x1.8p52;
  private static final long MAGIC_BITS = Double.doubleToRawLongBits(MAGIC);

  /**
   * The double of {@code |x| < 2^51} without a long-to-double conversion (whose false dependency on
   * its target register serialised the transform): {@code bits(1.5·2^52) + x} is the double {@code
   * 1.5·2^52 + x}, exactly.
   */
  private static double exact(long x) {
    return Double.longBitsToDouble(MAGIC_BITS + x) - MAGIC;
  }

  /**
   * {@code Aᵀ M A} of the 4×4 sums at {@code m[at + ξ·stride]}, with {@code Aᵀ = [1 1 1 0; 0 1 −1
   * −1]}: the 2×2 outputs, row-major, into {@code y} ({@code r} scratch for {@code Aᵀ M}).
   */
  private static void untransform(long[] m, int at, int stride, long[] r, long[] y) {
    for (int j = 0; j < 4; j++) {
      long m0 = m[at + j * stride];
      long m1 = m[at + (4 + j) * stride];
      long m2 = m[at + (8 + j) * stride];
      long m3 = m[at + (12 + j) * stride];
      r[j] = m0 + m1 + m2;
      r[4 + j] = m1 - m2 - m3;
    }
    y[0] = r[0] + r[1] + r[2];
    y[1] = r[1] - r[2] - r[3];
    y[2] = r[4] + r[5] + r[6];
    y[3] = r[5] - r[6] - r[7];
  }
}
