package org.polyshare.models.secure;

import java.util.HashMap;
import java.util.Map;
import org.polyshare.models.eval.PlainEvaluator;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;

/**
 * A worst-case bound on |secure − plaintext double| for the logits, propagated layer by layer
 * through the lowered model (u = 2^−f, one ulp):
 *
 * <ul>
 *   <li>input: u/2 (rounding);
 *   <li>conv / linear: {@code ‖W‖∞·e + (u/2)·fanIn·max|x| + u} (row sums of |w| amplify the input
 *       error, weight rounding, one truncation; bias rounding at 2f is negligible);
 *   <li>power {@code (z + cp)^dp}: {@code dp·M^(dp−1)·e + dp·u} with {@code M = max|z + cp| + e};
 *   <li>BatchNorm: {@code max|s|·e + (u/2)·max|x| + 2u}; average pooling: {@code e + 2u}; Add: sum;
 *       ReLU: {@code e + u} (1-Lipschitz, floor); max-pool: {@code e} (exact, 1-Lipschitz);
 *   <li>PolyAct {@code o·(s·x + t)^d}: the base like a BatchNorm, the power like a PolyKerv's, then
 *       the output scale like the base;
 *   <li>a final softmax: {@code e/2}, log-softmax: {@code 2e} (the Jacobians' row sums).
 * </ul>
 *
 * The max-magnitudes are those of the plaintext activations of the inputs at hand, so the bound
 * applies to exactly those inputs. It is loose for deep nets (norms multiply); top-1 agreement and
 * the int64 forward ({@link RingForward}) are the tighter checks.
 */
public final class ErrorBound {
  private ErrorBound() {}

  public static double logits(Model original, double[][] inputs) {
    Program prog = Program.of(original);
    Model m = prog.model;
    double u = Math.scalb(1.0, -m.fracBits());
    Map<String, Double> maxAbs = new HashMap<>();
    Map<String, Double> maxConv = new HashMap<>();
    for (double[] x : inputs) {
      maxAbs.merge(Model.INPUT, max(x), Math::max);
      PlainEvaluator.forward(
          m,
          x,
          (l, out, conv) -> {
            maxAbs.merge(l.name(), max(out), Math::max);
            if (conv != null) {
              maxConv.merge(l.name(), max(conv), Math::max);
            }
          });
    }
    Map<String, Double> err = new HashMap<>();
    err.put(Model.INPUT, u / 2);
    double e = u / 2;
    for (Program.Step s : prog.steps) {
      Layer l = s.layer();
      String src = l.inputs().get(0);
      double ein = err.get(src);
      double xin = maxAbs.get(src);
      if (l instanceof Conv2d c) {
        e = linear(c.weight(), c.outChannels(), ein, xin, u);
      } else if (l instanceof Linear lin) {
        e = linear(lin.weight(), lin.outFeatures(), ein, xin, u);
      } else if (l instanceof PolyKerv p) {
        double ez = linear(p.conv().weight(), p.conv().outChannels(), ein, xin, u);
        double cp = 0;
        for (double v : p.cp()) {
          cp = Math.max(cp, Math.abs(v));
        }
        double mz = maxConv.get(l.name()) + cp + ez;
        e = p.dp() * Math.pow(mz, p.dp() - 1) * ez + p.dp() * u;
      } else if (l instanceof PolyAct pa) {
        e = polyAct(pa, ein, xin, u);
      } else if (l instanceof BatchNorm bn) {
        double ms = 0;
        for (double v : bn.scale()) {
          ms = Math.max(ms, Math.abs(v));
        }
        e = ms * ein + u / 2 * xin + 2 * u;
      } else if (l instanceof AvgPool || l instanceof GlobalAvgPool) {
        e = ein + 2 * u;
      } else if (l instanceof Add a) {
        e = ein + err.get(a.right());
      } else if (l instanceof Relu) {
        e = ein + u;
      } else if (l instanceof MaxPool) {
        e = ein; // the garbled max is exact, and max is 1-Lipschitz
      } else {
        e = ein;
      }
      if (s.fusedRelu() != null) {
        e += u;
      }
      err.put(s.outputName(), e);
    }
    if (prog.head != null) {
      // ∂softmax_i/∂z_j = s_i(δ_ij − s_j): row sums ≤ 2·s_i(1 − s_i) ≤ 1/2; log-softmax: ≤ 2
      e = prog.head.log() ? 2 * e : e / 2;
    }
    return e;
  }

  /**
   * {@code o·(s·x + t)^d}: the base as a BatchNorm ({@code max|s|·e + (u/2)·max|x| + 2u}, or {@code
   * e + u/2} for the shift alone when s = 1), the power as a PolyKerv's, then the output scale like
   * the base.
   */
  private static double polyAct(PolyAct p, double ein, double xin, double u) {
    double ms = maxAbs(p.scale());
    double eb = allOnes(p.scale()) ? ein + u / 2 : ms * ein + u / 2 * xin + 2 * u;
    double mb = ms * xin + maxAbs(p.shift()) + eb;
    int d = p.degree();
    double ep = d * Math.pow(mb, d - 1) * eb + d * u;
    double mo = maxAbs(p.outScale());
    return allOnes(p.outScale()) ? ep : mo * ep + u / 2 * Math.pow(mb, d) + 2 * u;
  }

  private static boolean allOnes(double[] v) {
    for (double x : v) {
      if (x != 1) {
        return false;
      }
    }
    return true;
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double linear(double[] w, int rows, double ein, double xin, double u) {
    int fanIn = w.length / rows;
    double worst = 0;
    for (int r = 0; r < rows; r++) {
      double s = 0;
      for (int k = 0; k < fanIn; k++) {
        s += Math.abs(w[r * fanIn + k]);
      }
      worst = Math.max(worst, s);
    }
    return worst * ein + u / 2 * fanIn * xin + u;
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }
}
