package org.polyshare.bench.ops;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.PhaseCost;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.ops.OpRunner.OpRep;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;

/** The data and the report of one {@code bench ops} case. */
public final class OpReport {
  private OpReport() {}

  /**
   * Values drawn from {@code [-bound, bound]}, rounded to the fixed-point grid so both sides see
   * the same data.
   */
  public static double[] randomEncodable(FixedPoint fp, SplittableRandom rnd, int n, double bound) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = fp.decode(fp.encode((rnd.nextDouble() * 2 - 1) * bound));
    }
    return v;
  }

  /**
   * The report of {@code runs} of case {@code c} on inputs {@code xd}, {@code wd}: median times (a
   * phase's time is the slower party's, its CPU time the busier thread's), the last repetition's
   * traffic (deterministic) and its error against the plaintext double reference. {@code linear}
   * names the linear mode of a matmul/conv2d, null for the other ops.
   */
  public static Report of(
      String op,
      OpCase c,
      List<OpRep> runs,
      FixedPoint fp,
      double[] xd,
      double[] wd,
      TruncationMode mode,
      String linear) {
    OpRep last = runs.get(runs.size() - 1);
    double[] expect = c.reference(xd, wd);
    double[] got = fp.decode(last.opened());
    double maxErr = 0;
    double maxAbs = 0;
    for (int i = 0; i < expect.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(expect[i] - got[i]) * fp.one());
      maxAbs = Math.max(maxAbs, Math.abs(expect[i]));
    }
    double off = Medians.median(runs, x -> x.offline().wallMs());
    double on = Medians.median(runs, x -> x.online().wallMs());
    double lin = Medians.median(runs, x -> x.linear().wallMs());
    double pt = Medians.median(runs, x -> x.plaintext().wallMs());
    double onCpu = Medians.median(runs, x -> x.online().cpuMs());
    double linCpu = Medians.median(runs, x -> x.linear().cpuMs());
    double ptCpu = Medians.median(runs, x -> x.plaintext().cpuMs());
    Report r =
        new Report("")
            .put("op", op)
            .put("shape", c.shape())
            .put("frac_bits", (long) fp.fracBits())
            .put("truncation", mode.name().toLowerCase(Locale.ROOT))
            .put("linear", linear != null ? linear : "n/a")
            .put("reps", (long) (runs.size()))
            .put("offline_ms", off)
            .put("online_ms", on);
    if (lin > 0) {
      r.put("online_linear_ms", lin);
    }
    r.put("plaintext_int64_ms", pt).put("online_over_plaintext", on / pt);
    if (lin > 0) {
      r.put("online_linear_over_plaintext", lin / pt);
    }
    // Traffic is deterministic: the last repetition's.
    for (int p = 0; p < 2; p++) {
      PhaseCost online = last.party(p).online();
      r.put("party" + p + "_online_bytes_sent", online.bytesSent())
          .put("party" + p + "_online_bytes_received", online.bytesReceived())
          .put("party" + p + "_online_rounds", online.rounds())
          .put("party" + p + "_dealer_bytes_offline", last.party(p).dealerBytes());
    }
    // CPU time of the busiest thread: less sensitive to other load on a shared machine.
    r.put("online_cpu_ms", onCpu);
    if (lin > 0) {
      r.put("online_linear_cpu_ms", linCpu);
    }
    r.put("plaintext_int64_cpu_ms", ptCpu).put("online_cpu_over_plaintext_cpu", onCpu / ptCpu);
    if (lin > 0) {
      r.put("online_linear_cpu_over_plaintext_cpu", linCpu / ptCpu);
    }
    return r.put("max_error_ulps", maxErr)
        .put("max_abs_result", maxAbs)
        .put("threads", "2 party threads (secure), 1 thread (plaintext)");
  }
}
