package org.polyshare.models.secure;

import java.util.HashMap;
import java.util.Map;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.kernel.RingConv;
import org.polyshare.core.kernel.RingGemm;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.Relu;

/**
 * The plaintext int64 forward: the model in fixed point over Z_2^64 with the same kernels, the
 * same fusions and the same truncation points as the secure evaluator, each truncation an exact
 * arithmetic shift. It is the baseline of {@code bench model} (what a party would pay to run the
 * model alone) and a tight second oracle: the secure result differs from it by the protocols'
 * one-ulp truncation errors only.
 */
public final class RingForward {
  private final Program program;
  private final FixedPoint fp;
  private final int batch;
  private final Map<String, long[]> weights = new HashMap<>();
  private final Map<String, long[]> biases2f = new HashMap<>();

  public RingForward(Model model, int batch) {
    this.program = Program.of(model);
    this.fp = program.model.fixedPoint();
    this.batch = batch;
    for (Program.Step s : program.steps) {
      Layer l = s.layer();
      if (l instanceof Conv2d c) {
        weights.put(l.name(), fp.encode(c.weight()));
        biases2f.put(l.name(), Encoding.bias2f(fp, c.bias(), null));
      } else if (l instanceof PolyKerv p) {
        weights.put(l.name(), fp.encode(p.conv().weight()));
        biases2f.put(l.name(), Encoding.bias2f(fp, p.conv().bias(), p.cp()));
      } else if (l instanceof Linear lin) {
        weights.put(l.name(), fp.encode(Encoding.transpose(lin.weight(), lin.outFeatures(),
            lin.inFeatures())));
        biases2f.put(l.name(), Encoding.bias2f(fp, lin.bias(), null));
      }
    }
  }

  public Model model() {
    return program.model;
  }

  /** Logits of {@code batch} inputs (each the per-sample tensor) decoded to doubles. */
  public double[][] forward(double[][] inputs) {
    long[] x = Encoding.encodeBatch(fp, inputs, program.model.inputSize());
    long[] y = forwardRing(x);
    return Encoding.decodeBatch(fp, y, inputs.length);
  }

  /** The ring forward on an encoded batch {@code [batch, ...input]}. */
  public long[] forwardRing(long[] input) {
    int f = fp.fracBits();
    Map<String, long[]> acts = new HashMap<>();
    acts.put(Model.INPUT, input);
    long[] out = input;
    for (Program.Step s : program.steps) {
      Layer l = s.layer();
      long[] x = acts.get(l.inputs().get(0));
      int[] in = s.inShape();
      int[] os = s.outShape();
      if (l instanceof Conv2d c) {
        long[] z = RingConv.conv2d(x, weights.get(l.name()), Encoding.convShape(c, in, batch));
        Encoding.addPerChannel(z, biases2f.get(l.name()), Encoding.spatial(os));
        out = s.fusedRelu() != null ? reluShift(z, f) : shift(z, f);
      } else if (l instanceof PolyKerv p) {
        long[] z = RingConv.conv2d(x, weights.get(l.name()),
            Encoding.convShape(p.conv(), in, batch));
        Encoding.addPerChannel(z, biases2f.get(l.name()), Encoding.spatial(os));
        out = power(shift(z, f), p.dp(), f);
      } else if (l instanceof Linear lin) {
        long[] z = RingGemm.multiply(x, weights.get(l.name()),
            new MatMulShape(batch, lin.inFeatures(), lin.outFeatures()));
        Encoding.addPerChannel(z, biases2f.get(l.name()), 1);
        out = s.fusedRelu() != null ? reluShift(z, f) : shift(z, f);
      } else if (l instanceof BatchNorm bn) {
        int per = Encoding.spatial(in);
        long[] sc = fp.encode(bn.scale());
        long[] sh = fp.encode(bn.shift());
        long[] z = new long[x.length];
        for (int i = 0; i < z.length; i++) {
          int ch = (i / per) % bn.channels();
          z[i] = (x[i] * sc[ch] >> f) + sh[ch];
        }
        out = z;
      } else if (l instanceof AvgPool ap) {
        out = scaleShift(RingConv.sumPool2d(x, batch, in[0], in[1], in[2], ap.kernel(),
            ap.stride()), 1.0 / (ap.kernel() * ap.kernel()), f);
      } else if (l instanceof GlobalAvgPool) {
        int plane = in[1] * in[2];
        long[] sums = new long[batch * in[0]];
        for (int i = 0; i < sums.length; i++) {
          long acc = 0;
          for (int j = 0; j < plane; j++) {
            acc += x[i * plane + j];
          }
          sums[i] = acc;
        }
        out = scaleShift(sums, 1.0 / plane, f);
      } else if (l instanceof Add a) {
        long[] y = acts.get(a.right());
        out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
          out[i] = x[i] + y[i];
        }
      } else if (l instanceof Flatten) {
        out = x;
      } else if (l instanceof Relu) {
        out = reluShift(x, 0);
      } else {
        throw new IllegalStateException("unsupported layer " + l.kind());
      }
      acts.put(s.outputName(), out);
    }
    return out;
  }

  private static long[] shift(long[] z, int f) {
    for (int i = 0; i < z.length; i++) {
      z[i] >>= f;
    }
    return z;
  }

  private static long[] reluShift(long[] z, int f) {
    long[] out = new long[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = z[i] > 0 ? z[i] >> f : 0;
    }
    return out;
  }

  /**
   * Plaintext reference of {@code Activations.power}: {@code base^d} in int64 with the same
   * square-and-multiply schedule and a truncation by {@code f} bits after every product.
   */
  public static long[] power(long[] base, int d, int f) {
    long[] result = null;
    long[] b = base;
    int e = d;
    while (true) {
      if ((e & 1) != 0) {
        if (result == null) {
          result = b.clone();
        } else {
          for (int i = 0; i < result.length; i++) {
            result[i] = result[i] * b[i] >> f;
          }
        }
      }
      e >>>= 1;
      if (e == 0) {
        return result;
      }
      long[] sq = new long[b.length];
      for (int i = 0; i < sq.length; i++) {
        sq[i] = b[i] * b[i] >> f;
      }
      b = sq;
    }
  }

  private long[] scaleShift(long[] sums, double k, int f) {
    int bits = Arithmetic.mulPublicShift(f, k);
    if (Arithmetic.exactShift(k) > 0) {
      for (int i = 0; i < sums.length; i++) {
        sums[i] >>= bits;
      }
      return sums;
    }
    long c = Math.round(k * Math.scalb(1.0, bits));
    for (int i = 0; i < sums.length; i++) {
      sums[i] = sums[i] * c >> bits;
    }
    return sums;
  }
}
