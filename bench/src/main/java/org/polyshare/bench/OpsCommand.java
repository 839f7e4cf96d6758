package org.polyshare.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.correlation.PrefetchingCorrelationSource;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.Activations;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Sharing;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench ops}: one secure op between two in-process parties (two threads, in-memory link,
 * in-process dealer) against the same computation in plaintext int64 on one thread.
 *
 * <p>Phases per repetition: setup (party 0 shares the weights; fixed-weight layers open their
 * masked weights) — not timed; offline (prefetch of the op's correlations from the dealer, PRG
 * expansion, input-independent precomputation, the mask for party 1's input) — timed; online
 * (party 1 masks its input locally, the op, including truncation) — timed, with the link's bytes
 * and rounds. Times are medians over the
 * measured repetitions; a phase's time is the slower party's.
 */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description = "Secure op (offline/online) vs plaintext int64 on the same data: time, ratio, bytes, rounds, error.")
final class OpsCommand implements Callable<Integer> {
  enum Op { mul, square, matmul, conv2d, trunc, poly }

  enum Linear { owner, fixed, beaver }

  @Option(names = "--op", required = true, description = "mul, square, matmul, conv2d, trunc or poly")
  Op op;

  @Option(names = "--size", defaultValue = "1048576", description = "elements for mul/square/trunc/poly (default ${DEFAULT-VALUE})")
  int size;

  @Option(names = "--m", defaultValue = "1024", description = "matmul rows of X (default ${DEFAULT-VALUE})")
  int m;

  @Option(names = "--k", defaultValue = "576", description = "matmul inner dimension (default ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--n", defaultValue = "64", description = "matmul columns of W (default ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--batch", defaultValue = "1", description = "conv2d batch (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--in-ch", defaultValue = "64", description = "conv2d input channels (default ${DEFAULT-VALUE})")
  int inCh;

  @Option(names = "--out-ch", defaultValue = "64", description = "conv2d output channels (default ${DEFAULT-VALUE})")
  int outCh;

  @Option(names = "--hw", defaultValue = "32", description = "conv2d input height = width (default ${DEFAULT-VALUE})")
  int hw;

  @Option(names = "--kernel", defaultValue = "3", description = "conv2d kernel size (default ${DEFAULT-VALUE})")
  int kernel;

  @Option(names = "--stride", defaultValue = "1", description = "conv2d stride (default ${DEFAULT-VALUE})")
  int stride;

  @Option(names = "--pad", defaultValue = "1", description = "conv2d padding (default ${DEFAULT-VALUE})")
  int pad;

  @Option(names = "--degree", defaultValue = "2", description = "poly: d in (x + c)^d (default ${DEFAULT-VALUE})")
  int degree;

  @Option(names = "--linear", defaultValue = "owner", description = "matmul/conv2d: owner (fixed weight mask, party 0 holds W and computes alone), fixed (fixed weight mask, shared W, both compute) or beaver (generic triple) (default ${DEFAULT-VALUE})")
  Linear linear;

  @Option(names = "--truncation", defaultValue = "dealer", description = "dealer or local (default ${DEFAULT-VALUE})")
  String truncation;

  @Option(names = "--frac-bits", defaultValue = "16", description = "fixed-point fractional bits (default ${DEFAULT-VALUE})")
  int fracBits;

  @Option(names = "--reps", defaultValue = "7", description = "measured repetitions (default ${DEFAULT-VALUE})")
  int reps;

  @Option(names = "--warmup", defaultValue = "4", description = "unmeasured warm-up repetitions (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the random test data (not of any secret) (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--json", description = "also write the results as JSON to this file")
  Path json;

  /** One op: how it is set up, prepared offline, run online and computed in plaintext. */
  private interface OpCase {
    String shape();

    int inputLength();

    int weightLength();

    double inputBound();

    double weightBound();

    default Object setup(Party p, long[] weightShare, long[] plainWeights) {
      return null;
    }

    default Object prepare(Party p, Object state) {
      return null;
    }

    /** Returns the result share; records the linear part's nanos in {@code linearNanos[0]} if any. */
    long[] online(Party p, Object state, Object prep, long[] x, long[] w, long[] linearNanos);

    long[] plaintext(long[] x, long[] w);

    double[] reference(double[] x, double[] w);
  }

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private FixedPoint fp;

  @Override
  public Integer call() throws IOException {
    if (reps < 1 || warmup < 0) {
      throw new IllegalArgumentException("--reps must be >= 1 and --warmup >= 0");
    }
    fp = new FixedPoint(fracBits);
    TruncationMode mode = switch (truncation.toLowerCase(Locale.ROOT)) {
      case "dealer" -> TruncationMode.DEALER;
      case "local" -> TruncationMode.LOCAL;
      default -> throw new IllegalArgumentException("--truncation must be dealer or local, got " + truncation);
    };
    OpCase c = opCase();
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] xd = new double[c.inputLength()];
    double[] wd = new double[c.weightLength()];
    for (int i = 0; i < xd.length; i++) {
      xd[i] = fp.decode(fp.encode((rnd.nextDouble() * 2 - 1) * c.inputBound()));
    }
    for (int i = 0; i < wd.length; i++) {
      wd[i] = fp.decode(fp.encode((rnd.nextDouble() * 2 - 1) * c.weightBound()));
    }
    long[] x = fp.encode(xd);
    long[] w = fp.encode(wd);

    System.out.printf("bench ops --op %s  %s  f=%d truncation=%s%s, %d warm-up + %d measured reps%n",
        op, c.shape(), fracBits, mode.name().toLowerCase(Locale.ROOT),
        op == Op.matmul || op == Op.conv2d ? " linear=" + linear : "", warmup, reps);

    CorrelationPlan[] plans = new CorrelationPlan[2];
    int total = warmup + reps;
    double[] offline = new double[reps];
    double[] online = new double[reps];
    double[] onlineLinear = new double[reps];
    double[] plain = new double[reps];
    double[] onlineCpu = new double[reps];
    double[] linearCpu = new double[reps];
    double[] plainCpuMs = new double[reps];
    long[][] traffic = new long[2][];
    long[] dealerBytes = new long[2];
    long[] opened = null;
    for (int rep = 0; rep < total; rep++) {
      // Start each repetition from a collected heap so one rep's garbage is not billed to the next.
      System.gc();
      InProcessDealer dealer = new InProcessDealer();
      CyclicBarrier barrier = new CyclicBarrier(2);
      long[][] nanos = new long[2][5];
      long[][] dealt = new long[2][1];
      LinkStats.Snapshot[] onlineStats = new LinkStats.Snapshot[2];
      TwoParties.Result<long[]> r =
          TwoParties.run(link -> {
            return runParty(0, link, dealer, mode, c, w, null, plans, barrier, nanos[0], dealt[0], onlineStats);
          }, link -> {
            return runParty(1, link, dealer, mode, c, null, x, plans, barrier, nanos[1], dealt[1], onlineStats);
          });
      // Plaintext: best of three runs per repetition (it is short and easily disturbed).
      System.gc();
      long plainNanos = Long.MAX_VALUE;
      long plainCpu = Long.MAX_VALUE;
      for (int q = 0; q < 3; q++) {
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        long[] ref = c.plaintext(x, w);
        plainNanos = Math.min(plainNanos, System.nanoTime() - t);
        plainCpu = Math.min(plainCpu, CPU.getCurrentThreadCpuTime() - cpuStart);
        if (ref.length != opened(r).length) {
          throw new AssertionError("plaintext and secure outputs differ in length");
        }
      }
      if (rep >= warmup) {
        int i = rep - warmup;
        offline[i] = Math.max(nanos[0][0], nanos[1][0]) / 1e6;
        online[i] = Math.max(nanos[0][1], nanos[1][1]) / 1e6;
        onlineLinear[i] = Math.max(nanos[0][2], nanos[1][2]) / 1e6;
        plain[i] = plainNanos / 1e6;
        onlineCpu[i] = Math.max(nanos[0][3], nanos[1][3]) / 1e6;
        linearCpu[i] = Math.max(nanos[0][4], nanos[1][4]) / 1e6;
        plainCpuMs[i] = plainCpu / 1e6;
        traffic[0] = new long[] {onlineStats[0].bytesSent(), onlineStats[0].bytesReceived(), onlineStats[0].rounds()};
        traffic[1] = new long[] {onlineStats[1].bytesSent(), onlineStats[1].bytesReceived(), onlineStats[1].rounds()};
        dealerBytes[0] = dealt[0][0];
        dealerBytes[1] = dealt[1][0];
        opened = r.party1();
      }
    }
    double[] expect = c.reference(xd, wd);
    double[] got = fp.decode(opened);
    double maxErr = 0;
    double maxAbs = 0;
    for (int i = 0; i < expect.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(expect[i] - got[i]) * fp.one());
      maxAbs = Math.max(maxAbs, Math.abs(expect[i]));
    }
    double off = median(offline);
    double on = median(online);
    double lin = median(onlineLinear);
    double pt = median(plain);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("op", op.name());
    out.put("shape", c.shape());
    out.put("frac_bits", fracBits);
    out.put("truncation", mode.name().toLowerCase(Locale.ROOT));
    out.put("linear", op == Op.matmul || op == Op.conv2d ? linear.name() : "n/a");
    out.put("reps", reps);
    out.put("offline_ms", off);
    out.put("online_ms", on);
    if (lin > 0) {
      out.put("online_linear_ms", lin);
    }
    out.put("plaintext_int64_ms", pt);
    out.put("online_over_plaintext", on / pt);
    if (lin > 0) {
      out.put("online_linear_over_plaintext", lin / pt);
    }
    for (int p = 0; p < 2; p++) {
      out.put("party" + p + "_online_bytes_sent", traffic[p][0]);
      out.put("party" + p + "_online_bytes_received", traffic[p][1]);
      out.put("party" + p + "_online_rounds", traffic[p][2]);
      out.put("party" + p + "_dealer_bytes_offline", dealerBytes[p]);
    }
    // CPU time of the busiest thread: less sensitive to other load on a shared machine.
    out.put("online_cpu_ms", median(onlineCpu));
    if (lin > 0) {
      out.put("online_linear_cpu_ms", median(linearCpu));
    }
    out.put("plaintext_int64_cpu_ms", median(plainCpuMs));
    out.put("online_cpu_over_plaintext_cpu", median(onlineCpu) / median(plainCpuMs));
    if (lin > 0) {
      out.put("online_linear_cpu_over_plaintext_cpu", median(linearCpu) / median(plainCpuMs));
    }
    out.put("max_error_ulps", maxErr);
    out.put("max_abs_result", maxAbs);
    out.put("threads", "2 party threads (secure), 1 thread (plaintext)");
    for (Map.Entry<String, Object> e : out.entrySet()) {
      Object v = e.getValue();
      System.out.printf("  %-40s %s%n", e.getKey(), v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : v);
    }
    if (json != null) {
      Files.writeString(json, toJson(out), StandardCharsets.UTF_8);
      System.out.println("wrote " + json);
    }
    return 0;
  }

  private long[] runParty(
      int id, org.polyshare.core.link.PartyLink link, InProcessDealer dealer, TruncationMode mode, OpCase c,
      long[] w, long[] x, CorrelationPlan[] plans, CyclicBarrier barrier, long[] nanos, long[] dealt,
      LinkStats.Snapshot[] onlineStats) {
    PrefetchingCorrelationSource src = new PrefetchingCorrelationSource(dealer.source(id));
    Party p = new Party(id, link, src, fp, mode);
    long[] wShare = Sharing.share(p, 0, w, c.weightLength());
    Object state = c.setup(p, wShare, w);
    src.clearRecorded();
    await(barrier);
    long d0 = dealer.trafficTo(id).bytes();
    long t0 = System.nanoTime();
    if (plans[id] != null) {
      src.prefetch(plans[id]);
    }
    Object prep = c.prepare(p, state);
    Sharing.InputMask inputMask = Sharing.prepareInput(p, 1, c.inputLength());
    long t1 = System.nanoTime();
    dealt[0] = dealer.trafficTo(id).bytes() - d0;
    await(barrier);
    // Counters restart with the online phase, so its first send opens a new round.
    link.stats().reset();
    LinkStats.Snapshot s0 = link.stats().snapshot();
    long cpu0 = CPU.getCurrentThreadCpuTime();
    long t2 = System.nanoTime();
    long[] xShare = Sharing.shareInput(p, inputMask, x);
    long[] out = c.online(p, state, prep, xShare, wShare, nanos);
    long t3 = System.nanoTime();
    nanos[3] = CPU.getCurrentThreadCpuTime() - cpu0;
    onlineStats[id] = link.stats().snapshot().minus(s0);
    if (plans[id] == null) {
      plans[id] = src.recorded();
    } else if (src.buffered() != 0) {
      throw new IllegalStateException("the op did not use all prefetched correlations");
    }
    nanos[0] = t1 - t0;
    nanos[1] = t3 - t2;
    return Sharing.revealTo(p, 1, out);
  }

  private static long[] opened(TwoParties.Result<long[]> r) {
    return r.party1();
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("party threads failed to meet between phases", e);
    }
  }

  private OpCase opCase() {
    int f = fracBits;
    return switch (op) {
      case mul -> new Elementwise(size, 8, 8) {
        @Override
        public long[] online(Party p, Object s, Object prep, long[] x, long[] w, long[] ln) {
          return Beaver.mul(p, x, w);
        }

        @Override
        public long[] plaintext(long[] x, long[] w) {
          long[] o = new long[x.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = (x[i] * w[i]) >> f;
          }
          return o;
        }

        @Override
        public double[] reference(double[] x, double[] w) {
          double[] o = new double[x.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = x[i] * w[i];
          }
          return o;
        }
      };
      case square -> new Elementwise(size, 8, 0) {
        @Override
        public long[] online(Party p, Object s, Object prep, long[] x, long[] w, long[] ln) {
          return Beaver.square(p, x);
        }

        @Override
        public long[] plaintext(long[] x, long[] w) {
          long[] o = new long[x.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = (x[i] * x[i]) >> f;
          }
          return o;
        }

        @Override
        public double[] reference(double[] x, double[] w) {
          double[] o = new double[x.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = x[i] * x[i];
          }
          return o;
        }
      };
      case trunc -> new Elementwise(size, 1000, 0) {
        @Override
        public long[] online(Party p, Object s, Object prep, long[] x, long[] w, long[] ln) {
          // Rescale a 2f-bit value (x times the encoding of 1) back to f bits.
          return Truncation.truncate(p, Arithmetic.mulRing(x, 1L << f));
        }

        @Override
        public long[] plaintext(long[] x, long[] w) {
          long[] o = new long[x.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = (x[i] << f) >> f;
          }
          return o;
        }

        @Override
        public double[] reference(double[] x, double[] w) {
          return x.clone();
        }
      };
      case poly -> {
        if (degree < 1 || degree > 8) {
          throw new IllegalArgumentException("--degree must be in [1, 8], got " + degree);
        }
        double c = 0.5;
        long cEnc = fp.encode(c);
        double bound = Math.pow(2, 12.0 / degree) - c;
        yield new Elementwise(size, bound, 0) {
          @Override
          public long[] online(Party p, Object s, Object prep, long[] x, long[] w, long[] ln) {
            return Activations.power(p, x, p.id() == 0 ? cEnc : 0L, degree);
          }

          @Override
          public long[] plaintext(long[] x, long[] w) {
            long[] o = new long[x.length];
            for (int i = 0; i < o.length; i++) {
              long base = x[i] + cEnc;
              long acc = 0;
              boolean have = false;
              for (int e = degree; ; ) {
                if ((e & 1) != 0) {
                  acc = have ? (acc * base) >> f : base;
                  have = true;
                }
                e >>>= 1;
                if (e == 0) {
                  break;
                }
                base = (base * base) >> f;
              }
              o[i] = acc;
            }
            return o;
          }

          @Override
          public double[] reference(double[] x, double[] w) {
            double[] o = new double[x.length];
            for (int i = 0; i < o.length; i++) {
              o[i] = Math.pow(x[i] + c, degree);
            }
            return o;
          }
        };
      }
      case matmul -> matmulCase(new MatMulShape(m, k, n));
      case conv2d -> convCase(new Conv2dShape(batch, inCh, hw, hw, outCh, kernel, kernel, stride, pad));
    };
  }

  private abstract static class Elementwise implements OpCase {
    final int n;
    final double xb;
    final double wb;

    Elementwise(int n, double xb, double wb) {
      if (n < 1) {
        throw new IllegalArgumentException("--size must be >= 1");
      }
      this.n = n;
      this.xb = xb;
      this.wb = wb;
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
      return wb == 0 ? 1 : n;
    }

    @Override
    public double inputBound() {
      return xb;
    }

    @Override
    public double weightBound() {
      return wb == 0 ? 1 : wb;
    }
  }

  private OpCase matmulCase(MatMulShape s) {
    int f = fracBits;
    return new LinearCase(s.leftNumel(), s.rightNumel(), "m=" + s.m() + " k=" + s.k() + " n=" + s.n(), 4, 0.25) {
      @Override
      FixedWeightLinear fixed(Party p, long[] w) {
        return FixedWeightLinear.matmul(p, 0, w, s);
      }

      @Override
      FixedWeightLinear owned(Party p, long[] plainWeights) {
        return FixedWeightLinear.ownedMatMul(p, 0, plainWeights, s);
      }

      @Override
      long[] beaverRaw(Party p, long[] x, long[] w) {
        return Beaver.matmulRaw(p, x, w, s);
      }

      @Override
      public long[] plaintext(long[] x, long[] w) {
        return shift(RingGemm.multiply(x, w, s), f);
      }

      @Override
      public double[] reference(double[] x, double[] w) {
        double[] o = new double[s.outputNumel()];
        for (int i = 0; i < s.m(); i++) {
          for (int q = 0; q < s.k(); q++) {
            double a = x[i * s.k() + q];
            for (int j = 0; j < s.n(); j++) {
              o[i * s.n() + j] += a * w[q * s.n() + j];
            }
          }
        }
        return o;
      }
    };
  }

  private OpCase convCase(Conv2dShape s) {
    int f = fracBits;
    String shape = "batch=" + s.batch() + " in=" + s.inC() + "x" + s.h() + "x" + s.w() + " out=" + s.outC()
        + "x" + s.outH() + "x" + s.outW() + " kernel=" + s.kH() + " stride=" + s.stride() + " pad=" + s.pad()
        + " (" + s.macs() + " MACs)";
    return new LinearCase(s.inputNumel(), s.weightNumel(), shape, 4, 0.25) {
      @Override
      FixedWeightLinear fixed(Party p, long[] w) {
        return FixedWeightLinear.conv(p, 0, w, s);
      }

      @Override
      FixedWeightLinear owned(Party p, long[] plainWeights) {
        return FixedWeightLinear.ownedConv(p, 0, plainWeights, s);
      }

      @Override
      long[] beaverRaw(Party p, long[] x, long[] w) {
        return Beaver.conv2dRaw(p, x, w, s);
      }

      @Override
      public long[] plaintext(long[] x, long[] w) {
        return shift(RingConv.conv2d(x, w, s), f);
      }

      @Override
      public double[] reference(double[] x, double[] w) {
        double[] o = new double[s.outputNumel()];
        int oh = s.outH();
        int ow = s.outW();
        for (int b = 0; b < s.batch(); b++) {
          for (int oc = 0; oc < s.outC(); oc++) {
            for (int c = 0; c < s.inC(); c++) {
              for (int ky = 0; ky < s.kH(); ky++) {
                for (int kx = 0; kx < s.kW(); kx++) {
                  double wt = w[((oc * s.inC() + c) * s.kH() + ky) * s.kW() + kx];
                  for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * s.stride() - s.pad() + ky;
                    if (iy < 0 || iy >= s.h()) {
                      continue;
                    }
                    for (int ox = 0; ox < ow; ox++) {
                      int ix = ox * s.stride() - s.pad() + kx;
                      if (ix >= 0 && ix < s.w()) {
                        o[((b * s.outC() + oc) * oh + oy) * ow + ox] += wt * x[((b * s.inC() + c) * s.h() + iy) * s.w() + ix];
                      }
                    }
                  }
                }
              }
            }
          }
        }
        return o;
      }
    };
  }

  private static long[] shift(long[] v, int f) {
    for (int i = 0; i < v.length; i++) {
      v[i] >>= f;
    }
    return v;
  }

  /** Conv or matmul with a secret weight operand from party 0 and the input from party 1. */
  private abstract class LinearCase implements OpCase {
    final int in;
    final int wl;
    final String shape;
    final double xb;
    final double wb;

    LinearCase(int in, int wl, String shape, double xb, double wb) {
      this.in = in;
      this.wl = wl;
      this.shape = shape;
      this.xb = xb;
      this.wb = wb;
    }

    abstract FixedWeightLinear fixed(Party p, long[] w);

    abstract FixedWeightLinear owned(Party p, long[] plainWeights);

    abstract long[] beaverRaw(Party p, long[] x, long[] w);

    @Override
    public String shape() {
      return shape;
    }

    @Override
    public int inputLength() {
      return in;
    }

    @Override
    public int weightLength() {
      return wl;
    }

    @Override
    public double inputBound() {
      return xb;
    }

    @Override
    public double weightBound() {
      return wb;
    }

    @Override
    public Object setup(Party p, long[] w, long[] plainWeights) {
      return switch (linear) {
        case owner -> owned(p, plainWeights);
        case fixed -> fixed(p, w);
        case beaver -> null;
      };
    }

    @Override
    public Object prepare(Party p, Object state) {
      return state == null ? null : ((FixedWeightLinear) state).prepare(p);
    }

    @Override
    public long[] online(Party p, Object state, Object prep, long[] x, long[] w, long[] nanos) {
      long t = System.nanoTime();
      long cpu = CPU.getCurrentThreadCpuTime();
      long[] raw =
          state != null
              ? ((FixedWeightLinear) state).applyRaw(p, (FixedWeightLinear.Prepared) prep, x)
              : beaverRaw(p, x, w);
      nanos[2] = System.nanoTime() - t;
      nanos[4] = CPU.getCurrentThreadCpuTime() - cpu;
      return Truncation.truncate(p, raw);
    }
  }

  /** Kept for {@code GcCommand}: the harness's median. */
  static double median(double[] v) {
    return org.polyshare.bench.harness.Medians.median(v);
  }

  /** Kept for {@code GcCommand}: the harness's flat JSON writer. */
  static String toJson(Map<String, Object> m) {
    return org.polyshare.bench.harness.Report.of("", m).json();
  }
}
