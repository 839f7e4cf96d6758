package org.polyshare.bench.fss;

import java.util.List;
import java.util.SplittableRandom;
import org.polyshare.bench.harness.Cpu;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.Repetitions;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.fss.BitDcfKeys;
import org.polyshare.core.fss.FssRelu;
import org.polyshare.core.kernel.RingThreads;

/**
 * The FSS ReLU's two costs apart, through the library ({@link FssRelu}): the dealer's key
 * generation for {@code n} ReLUs (both parties' material, one {@link InProcessDealer} request), and
 * each party's local work on the opened {@code c = x + 2^k + r}: the key evaluation ({@link
 * FssRelu#openingShares}) plus the linear output step ({@link FssRelu#output}) after the bits are
 * opened (no link: the two opening rounds carry 8 B and 1–2 bits each way and are not what is
 * measured). Rates are ReLUs per second of the measuring thread's CPU time, i.e. per core. Every
 * repetition checks that the two parties' outputs reconstruct to {@code ⌊ReLU(x)/2^shift⌋} for all
 * n.
 */
public final class FssBench {
  /**
   * One repetition: CPU nanoseconds of the dealing and of each party's evaluation, and the bytes.
   */
  public record Rep(
      long keygenNanos, long eval0Nanos, long eval1Nanos, long keyBytes0, long keyBytes1) {}

  /** Evaluation on the measuring thread alone, so that its CPU time is the per-core cost. */
  private static final RingThreads ONE_CORE = new RingThreads(1);

  private final int n;
  private final int bits;
  private final int shift;
  private final long seed;

  public FssBench(int n, int bits, int shift, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("--relu must be >= 1, got " + n);
    }
    if (bits < 1 || bits > 62) {
      throw new IllegalArgumentException("--bits must be in [1, 62], got " + bits);
    }
    this.n = n;
    if (shift < 0 || shift > bits) {
      throw new IllegalArgumentException("--shift must be in [0, --bits], got " + shift);
    }
    this.bits = bits;
    this.shift = shift;
    this.seed = seed;
  }

  public List<Rep> run(Repetitions reps) {
    return reps.run(this::once);
  }

  private Rep once(int k) {
    CorrelationRequest request = new CorrelationRequest.FssRelu(n, bits, shift);
    InProcessDealer dealer = new InProcessDealer();
    long t0 = Cpu.threadNanos();
    FssReluKeys k0 = (FssReluKeys) dealer.source(0).next(request);
    FssReluKeys k1 = (FssReluKeys) dealer.source(1).next(request);
    long keygen = Cpu.threadNanos() - t0;
    // test inputs (not secrets) uniform over the supported range [−2^bits, 2^bits)
    SplittableRandom rng = new SplittableRandom(seed * 31 + k);
    long[] x = new long[n];
    long[] c = new long[n];
    long[] r0 = k0.r();
    long[] r1 = k1.r();
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextLong() >> (63 - bits);
      c[i] = x[i] + (1L << bits) + r0[i] + r1[i];
    }
    long t1 = Cpu.threadNanos();
    long[] e0 = FssRelu.openingShares(0, k0, c, ONE_CORE);
    long t2 = Cpu.threadNanos();
    long[] e1 = FssRelu.openingShares(1, k1, c, ONE_CORE);
    long t3 = Cpu.threadNanos();
    long[] opened = new long[e0.length];
    for (int i = 0; i < opened.length; i++) {
      opened[i] = e0[i] ^ e1[i];
    }
    long t4 = Cpu.threadNanos();
    long[] y0 = FssRelu.output(0, k0, c, opened);
    long t5 = Cpu.threadNanos();
    long[] y1 = FssRelu.output(1, k1, c, opened);
    long t6 = Cpu.threadNanos();
    for (int i = 0; i < n; i++) {
      long want = Math.max(x[i], 0) >> shift;
      if (y0[i] + y1[i] != want) {
        throw new IllegalStateException(
            "FSS ReLU "
                + i
                + " of "
                + n
                + ": x = "
                + x[i]
                + " gave "
                + (y0[i] + y1[i])
                + ", expected "
                + want);
      }
    }
    return new Rep(
        keygen,
        t2 - t1 + t5 - t4,
        t3 - t2 + t6 - t5,
        dealer.trafficTo(0).bytes(),
        dealer.trafficTo(1).bytes());
  }

  public String title(Repetitions reps) {
    return String.format(
        "bench fss --relu %d --bits %d --shift %d: bit-DCF keys (sign%s), %d warm-up + %d measured"
            + " reps",
        n, bits, shift, shift == 0 ? "" : " and borrow", reps.warmup(), reps.measured());
  }

  /**
   * The headline: median evaluation ReLU/s per core of each party (one thread, its CPU time), next
   * to the target, and the AES blocks behind it.
   */
  public String rateLine(List<Rep> reps) {
    double e0 = Medians.median(reps, Rep::eval0Nanos);
    double e1 = Medians.median(reps, Rep::eval1Nanos);
    return String.format(
        "evaluation: %.2f M ReLU/s per core (party 0), %.2f M (party 1); target >= 2 M;"
            + " %d AES blocks per ReLU and party (one per input bit, the low 7 in one leaf)",
        n / (e0 / 1e9) / 1e6, n / (e1 / 1e9) / 1e6, aesBlocks());
  }

  /** The bit-DCF correction blocks per ReLU, the same to each party. */
  private long dcfKeyBytes() {
    return BitDcfKeys.bytesPerKey(bits) + (shift == 0 ? 0 : BitDcfKeys.bytesPerKey(shift));
  }

  /** The sign key's blocks (k bits) and the borrow key's (f bits). */
  private long aesBlocks() {
    return BitDcfKeys.blocksPerKey(bits) + (shift == 0 ? 0 : BitDcfKeys.blocksPerKey(shift));
  }

  public Report report(List<Rep> reps) {
    double keygen = Medians.median(reps, Rep::keygenNanos);
    double e0 = Medians.median(reps, Rep::eval0Nanos);
    double e1 = Medians.median(reps, Rep::eval1Nanos);
    double best0 = reps.stream().mapToLong(Rep::eval0Nanos).min().orElseThrow();
    Rep last = reps.get(reps.size() - 1);
    return new Report("FSS ReLU: dealer key generation and per-party key evaluation (thread CPU)")
        .put("relus", (long) n)
        .put("input_bits", (long) bits)
        .put("shift", (long) shift)
        .put("online_rounds", 2L)
        .put("checked_against_plain", n + " relus, all equal")
        .put("cpu_time_measured", Cpu.supported())
        .put("keygen_relu_per_second", n / (keygen / 1e9))
        .put("eval_relu_per_second_per_core_party0", n / (e0 / 1e9))
        .put("eval_relu_per_second_per_core_party1", n / (e1 / 1e9))
        .put("eval_relu_per_second_per_core_best", n / (best0 / 1e9))
        .put("eval_ns_per_relu_party0", e0 / n)
        .put("aes_blocks_per_relu_party", aesBlocks())
        .put("dcf_key_bytes_per_relu_party", dcfKeyBytes())
        .put("key_bytes_party0", last.keyBytes0())
        .put("key_bytes_party1", last.keyBytes1())
        .put("key_bytes_per_relu_party0", (double) last.keyBytes0() / n)
        .put("key_bytes_per_relu_party1", (double) last.keyBytes1() / n)
        .put("key_bytes_per_relu", (double) (last.keyBytes0() + last.keyBytes1()) / n);
  }
}
