package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Party;
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
 * SecureSession s = sm.open(party);                   // guard (party 0), weight masks
 * s.offline();                                         // all dealer material + precomputation
 * SecureResult r = s.online(inputsOrNull);              // party 1: inputs → outputs
 * }</pre>
 *
 * This class orchestrates only: each layer kind is a {@link SecureLayer} (requests, setup, offline
 * and online steps), measured by {@link MeteredLayer}; one inference is a {@link SecureInference}.
 * The online phase never contacts the dealer.
 */
public final class SecureModel {
  private final Program program;
  private final List<SecureLayer> layers;
  private final int batch;
  private final SecureOptions options;
  private final CarryPlan carry;
  private final HandOff handOff;

  private SecureModel(Program program, int batch, SecureOptions options) {
    this.program = program;
    this.batch = batch;
    this.options = options;
    this.carry = CarryPlan.of(program, options.truncation(), options.fusedPolyKerv());
    SecureLayer.Lowering low =
        new SecureLayer.Lowering(
            program.model,
            batch,
            program.model.fixedPoint(),
            options.truncation(),
            options.fusedPolyKerv(),
            carry);
    this.layers = SecureLayers.of(program, low, options.relu());
    this.handOff = HandOff.of(layers, options.handOff());
  }

  public static SecureModel compile(Model model, int batch) {
    return compile(model, batch, SecureOptions.defaults());
  }

  public static SecureModel compile(Model model, int batch, SecureOptions options) {
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

  public SecureOptions options() {
    return options;
  }

  /** How each PolyKerv is lowered (carried, fused or chain) and why. */
  public CarryPlan carryPlan() {
    return carry;
  }

  /** Where party 1 streams the next layers' masked inputs as an opening arrives. */
  HandOff handOff() {
    return handOff;
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
  public SecureSession open(Party party) {
    int f = program.model.fracBits();
    if (party.fixedPoint().fracBits() != f) {
      throw new IllegalArgumentException(
          String.format(
              "party %d uses %s but model '%s' runs at f = %d",
              party.id(), party.fixedPoint(), program.model.name(), f));
    }
    if (party.truncationMode() != options.truncation()) {
      throw new IllegalArgumentException(
          String.format(
              "party %d truncates in mode %s but the plan was made for %s",
              party.id(), party.truncationMode(), options.truncation()));
    }
    if (party.id() == 0 && options.headroomGuard()) {
      checkHeadroom(program.model, options);
    }
    return new SecureSession(this, party);
  }

  /**
   * The guard: throws {@link HeadroomException} naming the first layer below the margin at the
   * scales the compiled lowering gives ({@link CarryPlan#headroom}: a carried power widens its
   * readers).
   */
  public static Headroom.Report checkHeadroom(Model model, SecureOptions options) {
    Headroom.Report r =
        CarryPlan.of(model, options)
            .headroom(
                model,
                Headroom.measure(
                    model, Zoo.sampleInputs(model, options.calibrationSamples(), 0x6a7d)));
    Headroom.LayerHeadroom t = r.firstBelow(options.marginBits());
    if (t != null) {
      throw new HeadroomException(model.name(), t, options.marginBits());
    }
    if (options.relu() == ReluMode.FSS) {
      FssReluWidth.check(model, r, options.marginBits());
    }
    return r;
  }

  Program program() {
    return program;
  }

  List<SecureLayer> layers() {
    return layers;
  }
}
