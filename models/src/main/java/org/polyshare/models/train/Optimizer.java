package org.polyshare.models.train;

import java.util.List;

/**
 * Parameter updates from accumulated gradients. {@code ADAM}: Kingma and Ba with bias correction;
 * {@code SGD}: heavy-ball momentum {@code v ← μv + g, w ← w − ηv}. Weight decay (L2, coupled)
 * applies to weights only.
 */
public final class Optimizer {
  public enum Kind {
    ADAM,
    SGD
  }

  private final Kind kind;
  private final double weightDecay;
  private final double beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8, momentum = 0.9;
  private long t;

  public Optimizer(Kind kind, double weightDecay) {
    this.kind = kind;
    this.weightDecay = weightDecay;
  }

  public Kind kind() {
    return kind;
  }

  /** One step at learning rate {@code lr}; gradients are left for the caller to zero. */
  public void step(List<Param> params, double lr) {
    t++;
    double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
    for (Param p : params) {
      double[] w = p.value, g = p.grad;
      double wd = p.decay ? weightDecay : 0;
      if (p.m == null) {
        p.m = new double[w.length];
        p.v = kind == Kind.ADAM ? new double[w.length] : null;
      }
      double[] m = p.m, v = p.v;
      if (kind == Kind.ADAM) {
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + wd * w[i];
          m[i] = beta1 * m[i] + (1 - beta1) * gi;
          v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
          w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + adamEps);
        }
      } else {
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + wd * w[i];
          m[i] = momentum * m[i] + gi;
          w[i] -= lr * m[i];
        }
      }
    }
  }
}
