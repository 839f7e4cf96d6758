package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.RangeListener;
import org.polyshare.core.protocol.Sharing;

/**
 * One inference of a {@link SecureSession}, single use. Each layer's offline step fetches its
 * correlations into a store, in plan order, and prepares them; the online phase in {@link #run}
 * draws from that store only and never contacts the dealer.
 *
 * <p>Batch offline: every layer's offline step runs at construction, so the offline and online
 * phases are measured apart, but the whole inference's material is held at once (ResNet-18's FSS
 * keys: ≈ 1.3 GB per party). Streamed: layer i's offline step runs just before its online step, in
 * the same order (the dealer sees the same requests), and its material is dropped after it, so at
 * most one layer's material is held (at party 1 plus the readers of a {@link HandOff}, whose
 * offline steps run ahead of their producer's online step); the offline cost is then the sum of the
 * layers' offline steps. Both parties must use the same mode: an offline step may exchange messages
 * between them.
 */
final class SecureInference {
  private final Program program;
  private final List<SecureLayer> layers;
  private final List<MeteredLayer.Session> sessions;
  private final Party party;
  private final int batch;
  private final PrefetchedCorrelations store;
  private final Party q;
  private final HandOff handOff;

  /** Each layer's offline result, taken by its online step (streamed: filled as they run). */
  private final List<MeteredLayer.Inference> steps = new ArrayList<>();

  /**
   * Party 1's output shares fixed offline (raw products), until the layer reading them took them.
   */
  private final Map<String, long[]> known = new HashMap<>();

  private long offlineNanos;
  private LinkStats.Snapshot offlineTraffic = new LinkStats.Snapshot(0, 0, 0, 0, 0);
  private int liveMaterials;
  private int peakLiveMaterials;

  SecureInference(
      Program program,
      List<SecureLayer> layers,
      List<MeteredLayer.Session> sessions,
      Party party,
      int batch,
      boolean streamed,
      HandOff handOff) {
    this.program = program;
    this.handOff = handOff;
    this.layers = layers;
    this.sessions = sessions;
    this.party = party;
    this.batch = batch;
    this.store = new PrefetchedCorrelations(party.id());
    this.q =
        new Party(party.id(), party.link(), store, party.fixedPoint(), party.truncationMode())
            .withMaterialStore(party.materialStore());
    if (!streamed) {
      offlineThrough(layers.size() - 1);
    }
  }

  /** Runs the offline steps not yet run, through layer {@code last}, in plan order. */
  private void offlineThrough(int last) {
    while (steps.size() <= last) {
      steps.add(offline(steps.size()));
    }
  }

  /** Layer {@code i}'s offline step, its cost added to the inference's offline cost. */
  private MeteredLayer.Inference offline(int i) {
    long start = System.nanoTime();
    LinkStats.Snapshot s0 = party.link().stats().snapshot();
    MeteredLayer.Inference step = sessions.get(i).offline(party, store, q, known);
    offlineNanos += System.nanoTime() - start;
    offlineTraffic = plus(offlineTraffic, party.link().stats().snapshot().minus(s0));
    peakLiveMaterials = Math.max(peakLiveMaterials, ++liveMaterials);
    return step;
  }

  /**
   * Most layers' offline material held at once (every layer in batch mode; streamed, 1, plus at
   * party 1 the readers a {@link HandOff} runs ahead).
   */
  int peakLiveMaterials() {
    return peakLiveMaterials;
  }

  SecureResult run(double[][] inputs) {
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
    long offlineBefore = offlineNanos;
    LinkStats.Snapshot s0 = party.link().stats().snapshot();
    LinkStats.Snapshot offline0 = offlineTraffic;
    int inSize = program.model.inputSize();
    long[] out =
        Sharing.share(
            q,
            1,
            client ? Encoding.encodeBatch(q.fixedPoint(), inputs, inSize) : null,
            batch * inSize);
    LiveTensors acts = new LiveTensors(layers, out);
    List<LayerReport> reports = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      SecureLayer l = layers.get(i);
      // streamed: this layer's offline step, and at party 1 its hand-off readers' too
      offlineThrough(client ? handOff.lookahead(i) : i);
      MeteredLayer.Inference step = steps.set(i, null);
      if (client && handOff.readers(i).length > 0) {
        List<RangeListener> masked = new ArrayList<>();
        for (int j : handOff.readers(i)) {
          masked.add(steps.get(j).streamInput(q));
        }
        step.handOff(HandOff.fanOut(masked));
      }
      out = step.online(q, acts.inputs(l));
      liveMaterials--; // the step dropped its material; no reference to it is left here
      acts.put(l, out);
      reports.add(step.report());
    }
    long[] y = Sharing.revealTo(q, 1, out);
    // streamed offline steps ran inside this interval: the online phase is the rest of it
    long online = System.nanoTime() - start - (offlineNanos - offlineBefore);
    LinkStats.Snapshot onlineTraffic =
        party.link().stats().snapshot().minus(s0).minus(offlineTraffic.minus(offline0));
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
    return new SecureResult(
        outputs,
        Collections.unmodifiableList(reports),
        offlineNanos,
        online,
        offlineTraffic,
        onlineTraffic);
  }

  private static LinkStats.Snapshot plus(LinkStats.Snapshot a, LinkStats.Snapshot b) {
    return new LinkStats.Snapshot(
        a.bytesSent() + b.bytesSent(),
        a.bytesReceived() + b.bytesReceived(),
        a.messagesSent() + b.messagesSent(),
        a.messagesReceived() + b.messagesReceived(),
        a.rounds() + b.rounds());
  }
}
