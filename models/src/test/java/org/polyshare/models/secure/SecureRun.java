package org.polyshare.models.secure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.store.MaterialStore;
import org.polyshare.models.graph.Model;

/**
 * Runs secure inference in-process: party 0 with {@code owner}'s weights, party 1 with the
 * architecture only and the inputs, in one session of {@code inputs.length / batch} inferences.
 */
final class SecureRun {
  record Outcome(
      List<SecureResult> party0,
      List<SecureResult> party1,
      double[][] logits,
      boolean dealerQuietOnline,
      InProcessDealer.Traffic[] dealerTraffic,
      int[] peakLiveMaterials) {
    SecureResult last1() {
      return party1.get(party1.size() - 1);
    }
  }

  static Outcome run(
      Model owner, Model clientView, double[][] inputs, int batch, SecureOptions options) {
    return run(owner, clientView, inputs, batch, options, false);
  }

  /**
   * As above, each party's session streaming its offline steps if {@code streamed}, and party i
   * keeping its garbled material in {@code stores[i]} (both on the heap when none are given).
   */
  static Outcome run(
      Model owner,
      Model clientView,
      double[][] inputs,
      int batch,
      SecureOptions options,
      boolean streamed,
      MaterialStore... given) {
    if (inputs.length % batch != 0) {
      throw new IllegalArgumentException("inputs must fill whole batches");
    }
    MaterialStore[] stores =
        given.length == 0
            ? new MaterialStore[] {MaterialStore.onHeap(), MaterialStore.onHeap()}
            : given;
    int rounds = inputs.length / batch;
    SecureModel sm0 = SecureModel.compile(owner, batch, options);
    SecureModel sm1 = SecureModel.compile(clientView, batch, options);
    InProcessSession session =
        new InProcessSession(owner.fixedPoint(), options.truncation(), Duration.ofSeconds(120));
    boolean[] quiet = {true};
    int[] peaks = new int[2];
    TwoParties.Result<List<SecureResult>> r =
        session.run(
            p -> {
              SecureSession s = sm0.open(p.withMaterialStore(stores[0])).streamOffline(streamed);
              List<SecureResult> out = new ArrayList<>();
              for (int k = 0; k < rounds; k++) {
                s.offline();
                out.add(s.online(null));
                peaks[0] = Math.max(peaks[0], s.peakLiveMaterials());
              }
              return out;
            },
            p -> {
              SecureSession s = sm1.open(p.withMaterialStore(stores[1])).streamOffline(streamed);
              List<SecureResult> out = new ArrayList<>();
              for (int k = 0; k < rounds; k++) {
                s.offline(); // strictly before this batch's input is touched
                InProcessDealer.Traffic before = session.dealer().trafficTo(1);
                out.add(s.online(Arrays.copyOfRange(inputs, k * batch, (k + 1) * batch)));
                // streamed, the dealer serves each layer just before its online step
                quiet[0] &= streamed || before.equals(session.dealer().trafficTo(1));
                peaks[1] = Math.max(peaks[1], s.peakLiveMaterials());
              }
              return out;
            });
    double[][] logits = new double[inputs.length][];
    for (int k = 0; k < rounds; k++) {
      System.arraycopy(r.party1().get(k).logits(), 0, logits, k * batch, batch);
    }
    InProcessDealer.Traffic[] dealt = {
      session.dealer().trafficTo(0), session.dealer().trafficTo(1)
    };
    return new Outcome(r.party0(), r.party1(), logits, quiet[0], dealt, peaks);
  }

  private SecureRun() {}
}
