package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Sharing;

/**
 * One inference of a {@link SecureModel.Session}: the offline phase at construction (each layer's
 * correlations fetched into a store, in plan order, and its offline steps), the online phase in
 * {@link #run} on a party that draws from that store only. Single use.
 */
final class SecureInference {
  private final Program program;
  private final List<SecureLayer> layers;
  private final Party party;
  private final int batch;
  private final PrefetchedCorrelations store;
  private final Party q;
  private final List<MeteredLayer.Inference> steps = new ArrayList<>();
  private final long offlineNanos;
  private final LinkStats.Snapshot offlineTraffic;

  SecureInference(
      Program program,
      List<SecureLayer> layers,
      List<MeteredLayer.Session> sessions,
      Party party,
      int batch) {
    this.program = program;
    this.layers = layers;
    this.party = party;
    this.batch = batch;
    this.store = new PrefetchedCorrelations(party.id());
    this.q =
        new Party(party.id(), party.link(), store, party.fixedPoint(), party.truncationMode())
            .withMaterialStore(party.materialStore());
    long start = System.nanoTime();
    LinkStats.Snapshot s0 = party.link().stats().snapshot();
    for (MeteredLayer.Session s : sessions) {
      steps.add(s.offline(party, store, q));
    }
    offlineNanos = System.nanoTime() - start;
    offlineTraffic = party.link().stats().snapshot().minus(s0);
  }

  SecureModel.Result run(double[][] inputs) {
    boolean client = party.id() == 1;
    if (client && (inputs == null || inputs.length != batch)) {
      throw new IllegalArgumentException(
          "party 1 must supply "
              + batch
              + " inputs, got "
              + (inputs == null ? "none" : inputs.length));
    }
    if (!client && inputs != null) {
      throw new IllegalArgumentException("party 0 supplies the weights, not an input");
    }
    long start = System.nanoTime();
    LinkStats.Snapshot s0 = party.link().stats().snapshot();
    int inSize = program.model.inputSize();
    long[] out =
        Sharing.share(
            q,
            1,
            client ? Encoding.encodeBatch(q.fixedPoint(), inputs, inSize) : null,
            batch * inSize);
    LiveTensors acts = new LiveTensors(layers, out);
    List<SecureModel.LayerReport> reports = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      SecureLayer l = layers.get(i);
      out = steps.get(i).online(q, acts.inputs(l));
      acts.put(l, out);
      reports.add(steps.get(i).report());
    }
    long[] y = Sharing.revealTo(q, 1, out);
    long online = System.nanoTime() - start;
    LinkStats.Snapshot onlineTraffic = party.link().stats().snapshot().minus(s0);
    if (store.remaining() != 0) {
      throw new IllegalStateException(
          store.remaining()
              + " prefetched correlation batches"
              + " were not used: the plan of '"
              + program.model.name()
              + "' is wrong");
    }
    double[][] outputs =
        client ? program.outputs(Encoding.decodeBatch(q.fixedPoint(), y, batch)) : null;
    return new SecureModel.Result(
        outputs,
        Collections.unmodifiableList(reports),
        offlineNanos,
        online,
        offlineTraffic,
        onlineTraffic);
  }
}
