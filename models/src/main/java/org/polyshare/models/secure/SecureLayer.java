package org.polyshare.models.secure;

import java.util.List;
import java.util.function.Supplier;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.RangeListener;
import org.polyshare.core.protocol.Truncation;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Model;

/**
 * One layer kind under two-party computation, with everything it needs side by side: the
 * correlations it draws (per session and per inference, in the order it draws them), its session
 * setup, its offline and online steps, and its plaintext int64 reference ({@link #ring}, with the
 * same truncation points, each an exact shift).
 *
 * <p>Lifetimes: the layer is compiled once per model and shared read-only by every session (a
 * service runs several at once); {@link #open} makes a party's {@link Session} (setup, e.g. the
 * opened weight masks); each inference gets a fresh single-use {@link Inference}. Offline and
 * online are split into a linear part and an activation part (the non-linearity and what feeds it)
 * only so that the measurement ({@link MeteredLayer}) can attribute the cost; a layer whose cost is
 * all linear keeps the activation part empty.
 */
abstract class SecureLayer {
  /**
   * What lowering a layer needs besides its step: the batch and the arithmetic, whether PolyKerv
   * layers take the fused one-opening path, and the {@link CarryPlan} made from that (null until
   * {@link SecureLayers#of} makes it).
   */
  record Lowering(
      Model model,
      int batch,
      FixedPoint fp,
      TruncationMode mode,
      boolean fusedPolyKerv,
      CarryPlan carry) {
    Lowering(Model model, int batch, FixedPoint fp, TruncationMode mode, boolean fusedPolyKerv) {
      this(model, batch, fp, mode, fusedPolyKerv, null);
    }

    Lowering withCarry(CarryPlan plan) {
      return new Lowering(model, batch, fp, mode, fusedPolyKerv, plan);
    }

    int f() {
      return fp.fracBits();
    }

    /** Extra fractional bits (beyond f) the step's first input arrives with: a carried power. */
    int carryIn(Program.Step step) {
      return carry == null ? 0 : carry.excess(step.layer().inputs().get(0));
    }
  }

  final Program.Step step;
  final int batch;
  final int f;
  final FixedPoint fp;
  final TruncationMode mode;

  /**
   * Extra fractional bits of the input (a carried power), which this layer's truncation removes.
   */
  final int carryIn;

  private List<CorrelationRequest> session = List.of();
  private List<CorrelationRequest> linear = List.of();
  private List<CorrelationRequest> activation = List.of();
  private boolean activationPart;

  SecureLayer(Program.Step step, Lowering low) {
    this.step = step;
    this.batch = low.batch();
    this.f = low.f();
    this.fp = low.fp();
    this.mode = low.mode();
    this.carryIn = low.carryIn(step);
  }

  /**
   * Sets the layer's requests and whether its activation part is reported apart (constructors call
   * it once; layers that override the getters need not).
   */
  final void requests(
      List<CorrelationRequest> sessionPart,
      List<CorrelationRequest> linearPart,
      List<CorrelationRequest> activationPart,
      boolean hasActivationPart) {
    this.session = sessionPart;
    this.linear = linearPart;
    this.activation = activationPart;
    this.activationPart = hasActivationPart;
  }

  /** The name its output goes by (a fused ReLU's name when there is one). */
  String name() {
    return step.outputName();
  }

  String kind() {
    return step.fusedRelu() != null ? step.layer().kind() + "+ReLU" : step.layer().kind();
  }

  List<String> inputs() {
    return step.layer().inputs();
  }

  /** Output elements of one inference (the batch included). */
  int n() {
    return batch * step.outNumel();
  }

  /**
   * Party 0's per-channel {@code values} in fixed point, laid over this layer's {@link #n} elements
   * (channel {@code (i / spatial) mod C}), encoded on first use.
   */
  final Encoded perChannel(Supplier<double[]> values) {
    int per = Encoding.spatial(step.inShape());
    return new Encoded(() -> Encoding.perElement(fp.encode(values.get()), per, n()));
  }

  /** Requests of the session setup (weight masks). */
  List<CorrelationRequest> sessionRequests() {
    return session;
  }

  /** Per inference, fetched first: the requests of the linear part. */
  List<CorrelationRequest> linearRequests() {
    return linear;
  }

  /** Per inference, fetched after {@link #linearRequests}: those of the activation part. */
  List<CorrelationRequest> activationRequests() {
    return activation;
  }

  /** Whether the layer has a non-linear part whose cost is reported apart. */
  boolean hasActivation() {
    return activationPart;
  }

  /**
   * Whether party 1's share of the output can be handed over range by range during the online step
   * ({@link Inference#handOff}): the output is what an opening's pieces finish, one by one.
   */
  boolean handsOffOutput() {
    return false;
  }

  /**
   * Whether party 1's online step is only its masked input, one message under the fixed-weight tag
   * (an owner-held product), which can leave ahead ({@link Inference#streamInput}).
   */
  boolean streamsMaskedInput() {
    return false;
  }

  /**
   * Whether party 1's online step sends party 0 a message under {@code tag} (a folded Add whose
   * truncation opens both halves online). A {@link HandOff} reader's offline step must not send
   * under it: party 1 would send the reader's message first, party 0 read it as the producer's.
   */
  boolean clientSendsOnline(int tag) {
    return false;
  }

  /** Whether party 1's offline step sends party 0 a message under {@code tag} (an early half). */
  boolean clientSendsOffline(int tag) {
    return false;
  }

  /**
   * Whether the offline step waits for party 0 (a garbled ReLU's exchange). A {@link HandOff}
   * reader's must not: party 1 runs it ahead, while party 0 waits for party 1's masked input.
   */
  boolean offlineWaitsForPeer() {
    return false;
  }

  /** Garbled-circuit ReLUs per inference. */
  long reluCount() {
    return 0;
  }

  /** The truncation requests of {@code count} values by {@code bits} in this model's mode. */
  final List<CorrelationRequest> truncation(int count, int bits) {
    return Truncation.requests(mode, count, bits);
  }

  /** The plaintext int64 forward of the layer on its (encoded, batched) inputs. */
  abstract long[] ring(long[][] in);

  /**
   * Session setup for {@code party} (the party with the real correlation source). Layers without
   * session or offline state run {@link #online} on every inference.
   */
  Session open(Party party) {
    return () ->
        new Inference() {
          @Override
          long[] onlineLinear(Party q, long[][] in) {
            return online(q, in);
          }
        };
  }

  /** The online step of a stateless layer. */
  long[] online(Party q, long[][] in) {
    throw new IllegalStateException(kind() + " '" + name() + "' has no stateless online step");
  }

  /** A party's session state of the layer. */
  interface Session {
    /** Fresh state for one inference. */
    Inference inference();
  }

  /**
   * One inference of the layer, single use. The offline steps run after the layer's requests are in
   * the party's prefetched store, the online steps on its inputs; {@code q} draws from that store.
   */
  abstract static class Inference {
    /**
     * Before the offline steps: party 1's shares of earlier outputs that were fixed offline, by
     * tensor name ({@link #knownOutput}); an opening that reads only such tensors sends party 1's
     * half offline. Empty at party 0.
     */
    void knownInputs(java.util.Map<String, long[]> known) {}

    /**
     * After the offline steps: party 1's share of this layer's output if it is already fixed (a raw
     * owner-held product), else null.
     */
    long[] knownOutput(Party q) {
      return null;
    }

    void offlineLinear(Party q) {}

    private RangeListener handOff = RangeListener.NONE;

    /**
     * Party 1, before the online step of a layer that {@linkplain #handsOffOutput hands off}: the
     * online step tells {@link #handOff()} each range of its output share as it is final ({@link
     * HandOff}).
     */
    final void handOff(RangeListener out) {
      handOff = out;
    }

    /**
     * Where the online step tells its output's final ranges: {@link RangeListener#NONE} unless set.
     */
    final RangeListener handOff() {
      return handOff;
    }

    /**
     * Party 1, after the offline steps and before the producer of this layer's input runs online:
     * starts the layer's masked input, fed range by range as its input is made; the online step
     * then sends nothing. Only for layers that {@linkplain #streamsMaskedInput stream it}.
     */
    RangeListener streamInput(Party q) {
      throw new IllegalStateException("this layer does not stream its masked input");
    }

    void offlineActivation(Party q) {}

    abstract long[] onlineLinear(Party q, long[][] in);

    long[] onlineActivation(Party q, long[] z) {
      return z;
    }
  }
}
