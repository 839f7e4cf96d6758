package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.gc.GcRelu;
import org.polyshare.core.kernel.Conv2dShape;
import org.polyshare.core.kernel.MatMulShape;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.protocol.Activations;
import org.polyshare.core.protocol.Arithmetic;
import org.polyshare.core.protocol.Beaver;
import org.polyshare.core.protocol.FixedWeightLinear;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Sharing;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
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
import org.polyshare.models.zoo.Zoo;

/**
 * Secure two-party inference of a {@link Model}. Party 0 holds the weights, party 1 the input;
 * party 1 receives the logits. Works over any {@link org.polyshare.core.link.PartyLink} and any
 * {@link org.polyshare.core.correlation.CorrelationSource} (in-process or a dealer process).
 *
 * <pre>{@code
 * SecureModel sm = SecureModel.compile(model, batch);   // both parties; party 1 may pass
 *                                                      // the architecture (weights unused)
 * CorrelationPlan plan = sm.plan(1);                   // what the dealer must serve, from shapes
 * SecureModel.Session s = sm.open(party);              // guard (party 0), fixed-weight masks
 * s.offline();                                         // all dealer material + precomputation
 * SecureModel.Result r = s.online(inputsOrNull);       // party 1: inputs → logits
 * }</pre>
 *
 * <p>Layers: a Conv2d/Linear is an owner-held fixed-weight linear layer ({@link FixedWeightLinear}
 * {@code ownedConv}/{@code ownedMatMul}: online, party 1 sends its masked share and party 0 alone
 * does one ring conv/GEMM with its plaintext weights, as in Delphi); its bias (and a PolyKerv's cp) is added by party 0 at 2f bits before
 * the truncation; a PolyKerv's power uses square pairs / triples; a ReLU is {@link GcRelu}
 * (fused with the preceding conv's truncation when it directly follows one); average pools are a
 * local sum and a public scaling; an unfolded BatchNorm is a Beaver product with party 0's scale.
 *
 * <p>Offline, before any input exists, each party fetches every correlation of the inference from
 * its source (in plan order) and does the input-independent work (A⊗F + C per linear layer,
 * garbling and OT for ReLUs). The online phase is party-to-party only: it draws from the
 * prefetched correlations and never contacts the dealer.
 */
public final class SecureModel {

  /** Evaluation options. */
  public record Options(TruncationMode truncation, boolean headroomGuard, int marginBits,
      int calibrationSamples) {
    public static Options defaults() {
      return new Options(TruncationMode.DEALER, true, Headroom.DEFAULT_MARGIN_BITS, 4);
    }

    public Options withGuard(boolean on) {
      return new Options(truncation, on, marginBits, calibrationSamples);
    }

    public Options withTruncation(TruncationMode mode) {
      return new Options(mode, headroomGuard, marginBits, calibrationSamples);
    }
  }

  /**
   * Per-layer cost, for one party. Bytes are sent + received on the party link. The
   * {@code activation*} parts are the share of the layer spent on its non-linearity: for a
   * conv/linear/PolyKerv layer everything after the ring product and bias (the truncation and
   * the power, or the garbled ReLU with its fused truncation), for a ReLU layer all of it, for
   * other layers nothing. Offline, the activation part is fetching its correlations (truncation
   * tuples, squares, random OTs) plus garbling and OT for a ReLU. {@code onlineLinearCpuNanos} is
   * this party's thread CPU time in the ring product and bias of a conv/linear/PolyKerv layer:
   * with owner-held weights party 0 computes while party 1 already waits inside the activation,
   * so wall time at either party cannot separate the two, but party 0's CPU time can.
   */
  public record LayerReport(String layer, String kind, long offlineNanos, long onlineNanos,
      long offlineBytes, long onlineBytes, long onlineRounds, long offlineActivationNanos,
      long onlineActivationNanos, long onlineActivationBytes, long onlineActivationRounds,
      long onlineLinearCpuNanos) {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** Logits (party 1; null at party 0) and this party's per-layer costs. */
  public record Result(double[][] logits, List<LayerReport> layers, long offlineNanos,
      long onlineNanos, LinkStats.Snapshot offlineTraffic, LinkStats.Snapshot onlineTraffic) {}

  private final Program program;
  private final int batch;
  private final Options options;
  private final int f;

  private SecureModel(Program program, int batch, Options options) {
    this.program = program;
    this.batch = batch;
    this.options = options;
    this.f = program.model.fracBits();
  }

  public static SecureModel compile(Model model, int batch) {
    return compile(model, batch, Options.defaults());
  }

  public static SecureModel compile(Model model, int batch, Options options) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    return new SecureModel(Program.of(model), batch, options);
  }

  /** ReLUs per inference (each a garbled circuit). */
  public long reluCount() {
    long n = 0;
    for (Program.Step s : program.steps) {
      if (s.fusedRelu() != null || s.layer() instanceof Relu) {
        n += (long) batch * s.outNumel();
      }
    }
    return n;
  }

  /** The model as evaluated (BatchNorm folded where exact). */
  public Model model() {
    return program.model;
  }

  public int batch() {
    return batch;
  }

  // ---- the plan -------------------------------------------------------------------------------

  /** Session part: one weight mask per linear layer. */
  public List<CorrelationRequest> sessionRequests() {
    List<CorrelationRequest> out = new ArrayList<>();
    for (int i = 0; i < program.steps.size(); i++) {
      Program.Step s = program.steps.get(i);
      Layer l = s.layer();
      if (l instanceof Conv2d c) {
        out.add(new CorrelationRequest.WeightMask(i, c.weightNumel()));
      } else if (l instanceof PolyKerv p) {
        out.add(new CorrelationRequest.WeightMask(i, p.conv().weightNumel()));
      } else if (l instanceof Linear lin) {
        out.add(new CorrelationRequest.WeightMask(i, lin.weightNumel()));
      }
    }
    return out;
  }

  /** One inference's requests of step {@code i}, in the order the offline phase fetches them. */
  private List<CorrelationRequest> stepRequests(int i) {
    Program.Step s = program.steps.get(i);
    Layer l = s.layer();
    int n = batch * s.outNumel();
    List<CorrelationRequest> out = new ArrayList<>();
    if (l instanceof Conv2d c) {
      out.add(new CorrelationRequest.FixedMask(i, Encoding.convShape(c, s.inShape(), batch)));
      reluOrTruncation(out, s, n);
    } else if (l instanceof PolyKerv p) {
      out.add(new CorrelationRequest.FixedMask(i,
          Encoding.convShape(p.conv(), s.inShape(), batch)));
      truncation(out, n, f);
      int e = p.dp();
      boolean first = true;
      while (true) {
        if ((e & 1) != 0) {
          if (!first) {
            out.add(new CorrelationRequest.Triples(n));
            truncation(out, n, f);
          }
          first = false;
        }
        e >>>= 1;
        if (e == 0) {
          break;
        }
        out.add(new CorrelationRequest.Squares(n));
        truncation(out, n, f);
      }
    } else if (l instanceof Linear lin) {
      out.add(new CorrelationRequest.FixedMask(i,
          new MatMulShape(batch, lin.inFeatures(), lin.outFeatures())));
      reluOrTruncation(out, s, n);
    } else if (l instanceof BatchNorm) {
      out.add(new CorrelationRequest.Triples(n));
      truncation(out, n, f);
    } else if (l instanceof AvgPool ap) {
      truncation(out, n, Arithmetic.mulPublicShift(f, 1.0 / (ap.kernel() * ap.kernel())));
    } else if (l instanceof GlobalAvgPool) {
      int[] in = s.inShape();
      truncation(out, n, Arithmetic.mulPublicShift(f, 1.0 / (in[1] * in[2])));
    } else if (l instanceof Relu) {
      out.add(new CorrelationRequest.RandomOt(64 * n));
    }
    return out;
  }

  private void reluOrTruncation(List<CorrelationRequest> out, Program.Step s, int n) {
    if (s.fusedRelu() != null) {
      out.add(new CorrelationRequest.RandomOt(64 * n));
    } else {
      truncation(out, n, f);
    }
  }

  private void truncation(List<CorrelationRequest> out, int n, int bits) {
    out.addAll(Truncation.requests(options.truncation(), n, bits));
  }

  /** One inference's requests, in fetch order. */
  public List<CorrelationRequest> inferenceRequests() {
    List<CorrelationRequest> out = new ArrayList<>();
    for (int i = 0; i < program.steps.size(); i++) {
      out.addAll(stepRequests(i));
    }
    return out;
  }

  /**
   * Everything the dealer serves for a session of {@code inferences} inferences: the session
   * part, then each inference's part. Derived from the architecture's shapes alone.
   */
  public CorrelationPlan plan(int inferences) {
    List<CorrelationRequest> all = new ArrayList<>(sessionRequests());
    List<CorrelationRequest> one = inferenceRequests();
    for (int k = 0; k < inferences; k++) {
      all.addAll(one);
    }
    return new CorrelationPlan(all);
  }

  // ---- sessions -------------------------------------------------------------------------------

  /**
   * Opens a session for {@code party}: party 0 first checks the headroom guard (before any
   * message), then both open the masked weights of every linear layer. Party 0's model must carry
   * the real weights; party 1's weights are ignored.
   */
  public Session open(Party party) {
    if (party.fixedPoint().fracBits() != f) {
      throw new IllegalArgumentException("party " + party.id() + " uses " + party.fixedPoint()
          + " but model '" + program.model.name() + "' runs at f = " + f);
    }
    if (party.truncationMode() != options.truncation()) {
      throw new IllegalArgumentException("party " + party.id() + " truncates in mode "
          + party.truncationMode() + " but the plan was made for " + options.truncation());
    }
    if (party.id() == 0 && options.headroomGuard()) {
      checkHeadroom(program.model, options);
    }
    return new Session(party);
  }

  /**
   * The guard: throws {@link HeadroomException} naming the first layer whose headroom is below the
   * margin (where the escape starts).
   */
  public static Headroom.Report checkHeadroom(Model model, Options options) {
    Headroom.Report r = Headroom.measure(model,
        Zoo.sampleInputs(model, options.calibrationSamples(), 0x6a7d));
    Headroom.LayerHeadroom t = r.firstBelow(options.marginBits());
    if (t != null) {
      throw new HeadroomException(model.name(), t, options.marginBits());
    }
    return r;
  }

  /** One party's session: fixed-weight layers set up; offline/online per inference. */
  public final class Session {
    private final Party party;
    private final Map<Integer, FixedWeightLinear> linear = new HashMap<>();
    private final Map<Integer, long[]> bias2f = new HashMap<>();
    private final Map<Integer, long[][]> bnParams = new HashMap<>();
    private final long[] setupNanos;
    private final long[] setupBytes;
    private Inference pending;

    private Session(Party party) {
      this.party = party;
      int steps = program.steps.size();
      setupNanos = new long[steps];
      setupBytes = new long[steps];
      boolean owner = party.id() == 0;
      FixedPoint fp = party.fixedPoint();
      for (int i = 0; i < steps; i++) {
        Program.Step s = program.steps.get(i);
        Layer l = s.layer();
        long t0 = System.nanoTime();
        LinkStats.Snapshot b0 = party.link().stats().snapshot();
        if (l instanceof Conv2d c) {
          linear.put(i, FixedWeightLinear.ownedConv(party, i,
              owner ? fp.encode(c.weight()) : null, Encoding.convShape(c, s.inShape(), batch)));
          bias2f.put(i, owner ? Encoding.bias2f(fp, c.bias(), null) : null);
        } else if (l instanceof PolyKerv p) {
          Conv2d c = p.conv();
          linear.put(i, FixedWeightLinear.ownedConv(party, i,
              owner ? fp.encode(c.weight()) : null, Encoding.convShape(c, s.inShape(), batch)));
          bias2f.put(i, owner ? Encoding.bias2f(fp, c.bias(), p.cp()) : null);
        } else if (l instanceof Linear lin) {
          linear.put(i, FixedWeightLinear.ownedMatMul(party, i,
              owner ? fp.encode(Encoding.transpose(lin.weight(), lin.outFeatures(),
                  lin.inFeatures())) : null,
              new MatMulShape(batch, lin.inFeatures(), lin.outFeatures())));
          bias2f.put(i, owner ? Encoding.bias2f(fp, lin.bias(), null) : null);
        } else if (l instanceof BatchNorm bn && owner) {
          bnParams.put(i, new long[][] {fp.encode(bn.scale()), fp.encode(bn.shift())});
        }
        setupNanos[i] = System.nanoTime() - t0;
        setupBytes[i] = bytes(party.link().stats().snapshot().minus(b0));
      }
    }

    public Party party() {
      return party;
    }

    /**
     * Offline phase of the next inference: fetches all of its correlations from the party's
     * source and precomputes everything input-independent. Call before {@link #online}.
     */
    public void offline() {
      if (pending != null) {
        throw new IllegalStateException("offline material for the next inference already exists");
      }
      pending = new Inference();
    }

    /**
     * Online phase: party 1 passes {@code batch} inputs (per-sample tensors) and gets the logits;
     * party 0 passes null and gets null logits. Runs {@link #offline} first if it was not called.
     */
    public Result online(double[][] inputs) {
      if (pending == null) {
        offline();
      }
      Inference inf = pending;
      pending = null;
      return inf.run(inputs);
    }

    /** The input-independent state of one inference. */
    private final class Inference {
      private final Party q;
      private final PrefetchedCorrelations pre;
      private final Map<Integer, FixedWeightLinear.Prepared> prepared = new HashMap<>();
      private final Map<Integer, GcRelu.Offline> relus = new HashMap<>();
      private final long[] offNanos;
      private final long[] offBytes;
      private final long[] offActNanos;
      private final long[] actNanos;
      private final long[] linCpu;
      private final long[] actBytes;
      private final long[] actRounds;
      private final long offlineTotal;
      private final LinkStats.Snapshot offlineTraffic;

      Inference() {
        long start = System.nanoTime();
        LinkStats.Snapshot s0 = party.link().stats().snapshot();
        pre = new PrefetchedCorrelations(party.id());
        q = new Party(party.id(), party.link(), pre, party.fixedPoint(), party.truncationMode());
        int steps = program.steps.size();
        offNanos = new long[steps];
        offBytes = new long[steps];
        offActNanos = new long[steps];
        actNanos = new long[steps];
        linCpu = new long[steps];
        actBytes = new long[steps];
        actRounds = new long[steps];
        for (int i = 0; i < steps; i++) {
          long t0 = System.nanoTime();
          LinkStats.Snapshot b0 = party.link().stats().snapshot();
          Program.Step s = program.steps.get(i);
          List<CorrelationRequest> reqs = stepRequests(i);
          FixedWeightLinear fw = linear.get(i);
          // A linear layer's first request is its fixed-mask triple; the rest is its activation.
          boolean act = s.fusedRelu() != null || s.layer() instanceof PolyKerv;
          int linearReqs = fw != null && act ? 1 : activationStep(s) ? 0 : reqs.size();
          pre.fetch(party.correlations(), reqs.subList(0, linearReqs));
          long tAct = System.nanoTime();
          pre.fetch(party.correlations(), reqs.subList(linearReqs, reqs.size()));
          offActNanos[i] = System.nanoTime() - tAct;
          if (fw != null) {
            prepared.put(i, fw.prepare(q));
          }
          long tRelu = System.nanoTime();
          if (s.fusedRelu() != null) {
            relus.put(i, GcRelu.prepare(q, batch * s.outNumel(), f));
          } else if (s.layer() instanceof Relu) {
            relus.put(i, GcRelu.prepare(q, batch * s.outNumel(), 0));
          }
          offActNanos[i] += System.nanoTime() - tRelu;
          offNanos[i] = System.nanoTime() - t0;
          offBytes[i] = bytes(party.link().stats().snapshot().minus(b0));
        }
        offlineTotal = System.nanoTime() - start;
        offlineTraffic = party.link().stats().snapshot().minus(s0);
      }

      Result run(double[][] inputs) {
        boolean client = party.id() == 1;
        if (client && (inputs == null || inputs.length != batch)) {
          throw new IllegalArgumentException("party 1 must supply " + batch + " inputs, got "
              + (inputs == null ? "none" : inputs.length));
        }
        if (!client && inputs != null) {
          throw new IllegalArgumentException("party 0 supplies the weights, not an input");
        }
        long start = System.nanoTime();
        LinkStats.Snapshot s0 = party.link().stats().snapshot();
        int inSize = program.model.inputSize();
        long[] x = Sharing.share(q, 1,
            client ? Encoding.encodeBatch(q.fixedPoint(), inputs, inSize) : null,
            batch * inSize);
        Map<String, long[]> acts = new HashMap<>();
        acts.put(Model.INPUT, x);
        Map<String, Integer> uses = new HashMap<>();
        for (Program.Step s : program.steps) {
          for (String in : s.layer().inputs()) {
            uses.merge(in, 1, Integer::sum);
          }
        }
        List<LayerReport> reports = new ArrayList<>();
        long[] out = x;
        for (int i = 0; i < program.steps.size(); i++) {
          Program.Step s = program.steps.get(i);
          long t0 = System.nanoTime();
          LinkStats.Snapshot b0 = party.link().stats().snapshot();
          out = step(i, s, acts);
          acts.put(s.outputName(), out);
          for (String in : s.layer().inputs()) {
            if (uses.merge(in, -1, Integer::sum) == 0) {
              acts.remove(in);
            }
          }
          LinkStats.Snapshot d = party.link().stats().snapshot().minus(b0);
          long on = System.nanoTime() - t0;
          if (s.layer() instanceof Relu) {
            actNanos[i] = on;
            actBytes[i] = bytes(d);
            actRounds[i] = d.rounds();
          }
          reports.add(new LayerReport(s.outputName(), kind(s), setupNanos[i] + offNanos[i],
              on, setupBytes[i] + offBytes[i], bytes(d), d.rounds(), offActNanos[i],
              actNanos[i], actBytes[i], actRounds[i], linCpu[i]));
        }
        long[] y = Sharing.revealTo(q, 1, out);
        long online = System.nanoTime() - start;
        LinkStats.Snapshot onlineTraffic = party.link().stats().snapshot().minus(s0);
        if (pre.remaining() != 0) {
          throw new IllegalStateException(pre.remaining() + " prefetched correlation batches were"
              + " not used: the plan of '" + program.model.name() + "' is wrong");
        }
        double[][] logits = client ? Encoding.decodeBatch(q.fixedPoint(), y, batch) : null;
        return new Result(logits, Collections.unmodifiableList(reports), offlineTotal, online,
            offlineTraffic, onlineTraffic);
      }

      private long[] step(int i, Program.Step s, Map<String, long[]> acts) {
        Layer l = s.layer();
        long[] x = acts.get(l.inputs().get(0));
        int[] in = s.inShape();
        boolean owner = party.id() == 0;
        if (l instanceof Conv2d || l instanceof PolyKerv || l instanceof Linear) {
          long cpu0 = THREADS.getCurrentThreadCpuTime();
          long[] z = linear.get(i).applyRaw(q, prepared.get(i), x);
          if (owner) {
            Encoding.addPerChannel(z, bias2f.get(i), Encoding.spatial(s.outShape()));
          }
          linCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu0;
          if (s.fusedRelu() == null && !(l instanceof PolyKerv)) {
            return Truncation.truncate(q, z);
          }
          long t0 = System.nanoTime();
          LinkStats.Snapshot b0 = party.link().stats().snapshot();
          long[] y;
          if (s.fusedRelu() != null) {
            y = GcRelu.online(q, relus.get(i), z);
          } else {
            y = Activations.power(q, Truncation.truncate(q, z), 0L, ((PolyKerv) l).dp());
          }
          LinkStats.Snapshot d = party.link().stats().snapshot().minus(b0);
          actNanos[i] = System.nanoTime() - t0;
          actBytes[i] = bytes(d);
          actRounds[i] = d.rounds();
          return y;
        } else if (l instanceof BatchNorm bn) {
          int per = Encoding.spatial(in);
          long[] scale = new long[x.length];
          long[][] params = bnParams.get(i);
          if (owner) {
            for (int k = 0; k < x.length; k++) {
              scale[k] = params[0][(k / per) % bn.channels()];
            }
          }
          long[] z = Beaver.mul(q, x, scale);
          if (owner) {
            for (int k = 0; k < z.length; k++) {
              z[k] += params[1][(k / per) % bn.channels()];
            }
          }
          return z;
        } else if (l instanceof AvgPool ap) {
          return Activations.avgPool(q, x, batch, in[0], in[1], in[2], ap.kernel(), ap.stride());
        } else if (l instanceof GlobalAvgPool) {
          return Activations.globalAvgPool(q, x, batch, in[0], in[1], in[2]);
        } else if (l instanceof Add a) {
          return Arithmetic.add(x, acts.get(a.right()));
        } else if (l instanceof Flatten) {
          return x;
        } else if (l instanceof Relu) {
          return GcRelu.online(q, relus.get(i), x);
        }
        throw new IllegalStateException("unsupported layer " + l.kind());
      }
    }
  }

  /** Steps whose whole cost is activation (a standalone ReLU). */
  private static boolean activationStep(Program.Step s) {
    return s.layer() instanceof Relu;
  }

  private static String kind(Program.Step s) {
    return s.fusedRelu() != null ? s.layer().kind() + "+ReLU" : s.layer().kind();
  }

  private static long bytes(LinkStats.Snapshot s) {
    return s.bytesSent() + s.bytesReceived();
  }
}
