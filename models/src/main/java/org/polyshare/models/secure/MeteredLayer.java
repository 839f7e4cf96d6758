package org.polyshare.models.secure;

import org.polyshare.core.link.LinkStats;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.RangeListener;

/**
 * A {@link SecureLayer} driven through its steps with each phase measured ({@link Meter}): setup;
 * offline as a whole and its activation part (fetching those correlations and preparing them);
 * online as a whole, its linear part and its activation part. The layer itself measures nothing.
 */
final class MeteredLayer {
  private final SecureLayer layer;

  MeteredLayer(SecureLayer layer) {
    this.layer = layer;
  }

  SecureLayer layer() {
    return layer;
  }

  /** Session setup, measured. */
  Session open(Party party) {
    Meter m = Meter.start(party.link().stats());
    SecureLayer.Session s = layer.open(party);
    return new Session(s, m.stop());
  }

  final class Session {
    private final SecureLayer.Session inner;
    private final LayerCost setup;

    private Session(SecureLayer.Session inner, LayerCost setup) {
      this.inner = inner;
      this.setup = setup;
    }

    /**
     * Offline: fetches the layer's requests from {@code party}'s source into {@code store} (linear
     * part first) and runs the offline steps on {@code q}, which draws from the store; {@code
     * known} holds party 1's offline-fixed output shares, which the layer reads and adds to.
     */
    Inference offline(
        Party party, PrefetchedCorrelations store, Party q, java.util.Map<String, long[]> known) {
      LinkStats stats = party.link().stats();
      Meter whole = Meter.start(stats);
      SecureLayer.Inference inf = inner.inference();
      inf.knownInputs(known);
      store.fetch(party.correlations(), layer.linearRequests());
      inf.offlineLinear(q);
      Meter act = Meter.start(stats);
      store.fetch(party.correlations(), layer.activationRequests());
      inf.offlineActivation(q);
      long[] fixed = inf.knownOutput(q);
      if (fixed != null) {
        known.put(layer.name(), fixed);
      }
      LayerCost offlineActivation = act.stop();
      return new Inference(inf, setup.plus(whole.stop()), offlineActivation);
    }
  }

  final class Inference {
    private SecureLayer.Inference inner; // the layer's offline material, dropped after online
    private final LayerCost offline;
    private final LayerCost offlineActivation;
    private LayerReport report;

    private Inference(SecureLayer.Inference inner, LayerCost offline, LayerCost offlineActivation) {
      this.inner = inner;
      this.offline = offline;
      this.offlineActivation = offlineActivation;
    }

    /** See {@link SecureLayer.Inference#handOff(RangeListener)}. */
    void handOff(RangeListener out) {
      inner.handOff(out);
    }

    /** See {@link SecureLayer.Inference#streamInput}. */
    RangeListener streamInput(Party q) {
      return inner.streamInput(q);
    }

    /**
     * Online on the layer's inputs (in the order of its {@code inputs()}), measured. Party 1's
     * masked inputs streamed ahead ({@link HandOff}) are counted in the producer's step, where they
     * leave.
     */
    long[] online(Party q, long[][] in) {
      if (report != null) {
        throw new IllegalStateException("layer '" + layer.name() + "' already ran this inference");
      }
      LinkStats stats = q.link().stats();
      Meter whole = Meter.start(stats);
      Meter lin = Meter.start(stats);
      long[] z = inner.onlineLinear(q, in);
      LayerCost linear = lin.stop();
      Meter act = Meter.start(stats);
      long[] y = inner.onlineActivation(q, z);
      inner = null;
      LayerCost activation = layer.hasActivation() ? act.stop() : LayerCost.ZERO;
      report =
          new LayerReport(
              layer.name(),
              layer.kind(),
              offline,
              offlineActivation,
              whole.stop(),
              linear,
              activation);
      return y;
    }

    LayerReport report() {
      return report;
    }
  }
}
