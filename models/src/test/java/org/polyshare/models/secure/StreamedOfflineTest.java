package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * Streamed offline ({@link SecureSession#streamOffline}) against batch offline: the same logits bit
 * for bit, the same dealer traffic to each party, the same party-link bytes per phase, and one
 * layer's material held at a time instead of every layer's. Exact truncation everywhere makes the
 * logits a function of the inputs alone (the int64 forward's), independent of the fresh randomness
 * each run draws, so bit equality is the right check.
 */
class StreamedOfflineTest {
  private static final SecureOptions EXACT =
      SecureOptions.defaults().withTruncation(TruncationMode.EXACT);

  @Test
  void tinyReluFss() {
    check("tiny-relu", EXACT.withRelu(ReluMode.FSS));
  }

  @Test
  void lenet5Pkn() {
    check("lenet5-pkn", EXACT);
  }

  @Test
  void tinyReluGc() {
    check("tiny-relu", EXACT.withRelu(ReluMode.GC));
  }

  /**
   * Both with and without the hand-off ({@link HandOff}), which at party 1 runs the readers it
   * streams to offline ahead: one layer held without it, that and its readers with it.
   */
  private static void check(String name, SecureOptions options) {
    check(name, options.withHandOff(false), 1);
    SecureModel sm = SecureModel.compile(Zoo.architecture(name), 2, options);
    int ahead = 0;
    for (int i = 0; i < sm.layers().size(); i++) {
      ahead = Math.max(ahead, sm.handOff().lookahead(i) - i);
    }
    check(name, options, 1 + ahead);
  }

  private static void check(String name, SecureOptions options, int streamedPeak) {
    Model model = ZooCache.get(name);
    Model client = Zoo.architecture(name);
    int batch = 2;
    double[][] xs = Zoo.sampleInputs(model, 2 * batch, 77);
    SecureRun.Outcome whole = SecureRun.run(model, client, xs, batch, options, false);
    SecureRun.Outcome streamed = SecureRun.run(model, client, xs, batch, options, true);
    for (int k = 0; k < xs.length; k++) {
      assertArrayEquals(whole.logits()[k], streamed.logits()[k], name + ": sample " + k);
    }
    int layers = whole.last1().layers().size();
    for (int p = 0; p < 2; p++) {
      assertEquals(
          whole.dealerTraffic()[p], streamed.dealerTraffic()[p], name + ": dealer to party " + p);
      assertEquals(layers, whole.peakLiveMaterials()[p], name + ": batch offline holds all");
      assertEquals(
          p == 0 ? 1 : streamedPeak,
          streamed.peakLiveMaterials()[p],
          name + ": streamed holds one layer (party 1: and the readers it streams to)");
    }
    SecureResult a = whole.last1();
    SecureResult b = streamed.last1();
    assertEquals(bytes(a.offlineTraffic()), bytes(b.offlineTraffic()), name + ": offline bytes");
    assertEquals(bytes(a.onlineTraffic()), bytes(b.onlineTraffic()), name + ": online bytes");
    for (int i = 0; i < layers; i++) {
      assertEquals(
          a.layers().get(i).offlineBytes(),
          b.layers().get(i).offlineBytes(),
          name + ": offline bytes of layer " + i);
    }
  }

  private static long bytes(org.polyshare.core.link.LinkStats.Snapshot s) {
    return s.bytesSent() + s.bytesReceived();
  }
}
