package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * Secure two-party inference of a {@link Model}: party 0 holds the weights, party 1 the input and
 * receives the outputs. Works over any {@link org.polyshare.core.link.PartyLink} and {@link
 * org.polyshare.core.correlation.CorrelationSource} (in-process or a dealer process).
 *
 * <pre>{@code
 * SecureModel sm = SecureModel.compile(model, batch);   // both; party 1 may pass the architecture
 * CorrelationPlan plan = sm.plan(1);                   // what the dealer serves, from shapes
 * SecureModel.Session s = sm.open(party);              // guard (party 0), weight masks
 * s.offline();                                         // all dealer material + precomputation
 * SecureModel.Result r = s.online(inputsOrNull);       // party 1: inputs → outputs
 * }</pre>
 *
 * This class orchestrates only: each layer kind is a {@link SecureLayer} (requests, setup, offline
 * and online steps), measured by {@link MeteredLayer}; one inference is a {@link SecureInference}.
 * The online phase never contacts the dealer.
 */
public final class SecureModel {
  /**
   * Evaluation options. {@code relu}: the ReLU arm (garbled circuits or FSS). {@code
   * fusedPolyKerv}: a PolyKerv of degree ≤ 2 truncates and raises to its power in ONE opening
   * ({@link org.polyshare.core.protocol.FusedPower}), then truncates the power once (off by
   * default; needs the DEALER or EXACT truncation mode).
   */
  public record Options(
      TruncationMode truncation,
      boolean headroomGuard,
      int marginBits,
      int calibrationSamples,
      ReluMode relu,
      boolean fusedPolyKerv) {
    public Options {
      if (relu == null) {
        throw new IllegalArgumentException("the ReLU mode is required (gc or fss)");
      }
    }

    /** The garbled-circuit ReLU arm, PolyKerv unfused. */
    public Options(
        TruncationMode truncation, boolean headroomGuard, int marginBits, int calibrationSamples) {
      this(truncation, headroomGuard, marginBits, calibrationSamples, ReluMode.GC, false);
    }

    public static Options defaults() {
      return new Options(TruncationMode.DEALER, true, Headroom.DEFAULT_MARGIN_BITS, 4);
    }

    public Options withGuard(boolean on) {
      return new Options(truncation, on, marginBits, calibrationSamples, relu, fusedPolyKerv);
    }

    public Options withTruncation(TruncationMode m) {
      return new Options(m, headroomGuard, marginBits, calibrationSamples, relu, fusedPolyKerv);
    }

    public Options withRelu(ReluMode m) {
      return new Options(
          truncation, headroomGuard, marginBits, calibrationSamples, m, fusedPolyKerv);
    }

    public Options withFusedPolyKerv(boolean on) {
      return new Options(truncation, headroomGuard, marginBits, calibrationSamples, relu, on);
    }
  }

  /**
   * One layer's costs at one party. {@code offline} includes the session setup; the activation
   * parts are the layer's non-linearity (truncation and power, a garbled ReLU or max-pool), zero
   * for layers without one; {@code onlineLinear} is the product (and bias) before it, whose CPU
   * time separates party 0's owner-held product from the wait inside the activation.
   */
  public record LayerReport(
      String layer,
      String kind,
      LayerCost offline,
      LayerCost offlineActivation,
      LayerCost online,
      LayerCost onlineLinear,
      LayerCost onlineActivation) {
    public long offlineNanos() {
      return offline.wallNanos();
    }

    public long onlineNanos() {
      return online.wallNanos();
    }

    public long offlineBytes() {
      return offline.bytes();
    }

    public long onlineBytes() {
      return online.bytes();
    }

    public long onlineRounds() {
      return online.rounds();
    }

    public long offlineActivationNanos() {
      return offlineActivation.wallNanos();
    }

    public long onlineActivationNanos() {
      return onlineActivation.wallNanos();
    }

    public long onlineActivationBytes() {
      return onlineActivation.bytes();
    }

    public long onlineActivationRounds() {
      return onlineActivation.rounds();
    }

    public long onlineLinearCpuNanos() {
      return onlineLinear.cpuNanos();
    }
  }

  /** Outputs (party 1; null at party 0) and this party's per-layer costs. */
  public record Result(
      double[][] logits,
      List<LayerReport> layers,
      long offlineNanos,
      long onlineNanos,
      LinkStats.Snapshot offlineTraffic,
      LinkStats.Snapshot onlineTraffic) {}

  private final Program program;
  private final List<SecureLayer> layers;
  private final int batch;
  private final Options options;

  private SecureModel(Program program, int batch, Options options) {
    this.program = program;
    this.batch = batch;
    this.options = options;
    this.layers =
        SecureLayers.of(
            program,
            new SecureLayer.Lowering(
                program.model,
                batch,
                program.model.fixedPoint(),
                options.truncation(),
                options.fusedPolyKerv()),
            options.relu());
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

  /** ReLUs per inference (each a garbled circuit, or an FSS key pair in the FSS arm). */
  public long reluCount() {
    return layers.stream().mapToLong(SecureLayer::reluCount).sum();
  }

  /** The model as evaluated (BatchNorm folded where exact). */
  public Model model() {
    return program.model;
  }

  public int batch() {
    return batch;
  }

  public Options options() {
    return options;
  }

  /** Session part of the plan: one weight mask per linear layer. */
  public List<CorrelationRequest> sessionRequests() {
    List<CorrelationRequest> out = new ArrayList<>();
    for (SecureLayer l : layers) {
      out.addAll(l.sessionRequests());
    }
    return out;
  }

  /** One inference's requests, in fetch order. */
  public List<CorrelationRequest> inferenceRequests() {
    List<CorrelationRequest> out = new ArrayList<>();
    for (SecureLayer l : layers) {
      out.addAll(l.linearRequests());
      out.addAll(l.activationRequests());
    }
    return out;
  }

  /** Everything the dealer serves for {@code inferences} inferences; from shapes alone. */
  public CorrelationPlan plan(int inferences) {
    List<CorrelationRequest> all = new ArrayList<>(sessionRequests());
    List<CorrelationRequest> one = inferenceRequests();
    for (int k = 0; k < inferences; k++) {
      all.addAll(one);
    }
    return new CorrelationPlan(all);
  }

  /**
   * Opens a session: party 0 first checks the headroom guard (before any message), then both set up
   * every layer (the masked weights). Party 1's weights are ignored.
   */
  public Session open(Party party) {
    int f = program.model.fracBits();
    if (party.fixedPoint().fracBits() != f) {
      throw new IllegalArgumentException(
          "party "
              + party.id()
              + " uses "
              + party.fixedPoint()
              + " but model '"
              + program.model.name()
              + "' runs at f = "
              + f);
    }
    if (party.truncationMode() != options.truncation()) {
      throw new IllegalArgumentException(
          "party "
              + party.id()
              + " truncates in mode "
              + party.truncationMode()
              + " but the plan was made for "
              + options.truncation());
    }
    if (party.id() == 0 && options.headroomGuard()) {
      checkHeadroom(program.model, options);
    }
    return new Session(party);
  }

  /** The guard: throws {@link HeadroomException} naming the first layer below the margin. */
  public static Headroom.Report checkHeadroom(Model model, Options options) {
    Headroom.Report r =
        Headroom.measure(model, Zoo.sampleInputs(model, options.calibrationSamples(), 0x6a7d));
    Headroom.LayerHeadroom t = r.firstBelow(options.marginBits());
    if (t != null) {
      throw new HeadroomException(model.name(), t, options.marginBits());
    }
    if (options.relu() == ReluMode.FSS) {
      FssReluStep.checkBound(model, r, options.marginBits());
    }
    return r;
  }

  /** One party's session: layers set up; offline/online per inference. */
  public final class Session {
    private final Party party;
    private final List<MeteredLayer.Session> sessions = new ArrayList<>();
    private SecureInference pending;
    private boolean streamed;
    private int peakLiveMaterials;

    private Session(Party party) {
      this.party = party;
      for (SecureLayer l : layers) {
        sessions.add(new MeteredLayer(l).open(party));
      }
    }

    public Party party() {
      return party;
    }

    /**
     * Streamed offline ({@link SecureInference}): each layer's offline step runs just before its
     * online step, so one layer's material is held instead of the inference's; the offline cost is
     * the layers' sum. Same dealer requests in the same order. Both parties must choose alike.
     */
    public Session streamOffline(boolean on) {
      this.streamed = on;
      return this;
    }

    /** Most layers' offline material held at once in the last inference run. */
    int peakLiveMaterials() {
      return peakLiveMaterials;
    }

    /** Offline phase of the next inference: all its correlations and input-free work. */
    public void offline() {
      if (pending != null) {
        throw new IllegalStateException("offline material for the next inference already exists");
      }
      pending = new SecureInference(program, layers, sessions, party, batch, streamed);
    }

    /**
     * Online phase: party 1 passes {@code batch} inputs and gets the outputs; party 0 passes null.
     * Runs {@link #offline} first if it was not called.
     */
    public Result online(double[][] inputs) {
      if (pending == null) {
        offline();
      }
      SecureInference inf = pending;
      pending = null; // single use
      Result r = inf.run(inputs);
      peakLiveMaterials = inf.peakLiveMaterials();
      return r;
    }
  }
}
