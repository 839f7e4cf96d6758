package org.polyshare.models.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.ChunkSink;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.PieceSizedLink;
import org.polyshare.core.link.ShapedLink;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.protocol.Tags;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * The streamed hand-off ({@link HandOff}) on the two-block residual net of {@link
 * ResidualFoldTest}: party 1 sends the next layer's masked input while the opening it comes from is
 * still arriving (seen in the order of its link events, not in timings), and the inference is the
 * same as without it: the same logits, bytes, messages and rounds, per layer summing to the total.
 */
class HandOffTest {
  private static final int CHUNK = 16;

  @Test
  void theReadersStreamedAreTheOwnerHeldProductsReadingTheOutputNext() {
    SecureModel sm = SecureModel.compile(ResidualFoldTest.arch(), 1);
    List<String> names = names(sm);
    HandOff h = sm.handOff();
    assertEquals(List.of("b_conv1"), readers(h, names, "stem"));
    assertEquals(List.of("b_conv2"), readers(h, names, "b_conv1"));
    assertEquals(List.of("d_conv1"), readers(h, names, "b_add"), "not d_down: d_conv2 is first");
    assertEquals(List.of(), readers(h, names, "d_add"), "read by a pool");
    assertEquals(
        List.of(),
        readers(SecureModel.compile(ResidualFoldTest.arch(), 1, off()).handOff(), names, "stem"));
  }

  /**
   * An identity Add (both halves of its truncation online) read by a plain truncating conv, and a
   * truncating conv read by a conv with a garbled ReLU: streamed offline, party 1 would run the
   * reader's offline step ahead, sending the conv's early truncation half before the Add's online
   * half under the same tag, and waiting for the garbled ReLU's offline exchange while party 0
   * waits for its masked input. Neither reader is streamed; the logits equal batch offline's.
   */
  @Test
  void aReaderWhoseOfflineStepTalksOnTheProducersTagOrWaitsIsNotStreamed() {
    Model.Builder b = Model.builder("add-then-convs", 2, 8, 8);
    b.polyKerv("stem", 4, 3, 1, 1, 0.5, 2);
    b.polyKerv("b_conv1", "stem", 4, 3, 1, 1, 0.25, 2).conv("b_conv2", 4, 3, 1, 1);
    b.add("b_add", "b_conv2", "stem");
    b.conv("after_add", "b_add", 4, 3, 1, 1).conv("relu_conv", 4, 3, 1, 1).relu("relu");
    b.globalAvgPool("gap").flatten("flat").linear("fc", 5);
    Model arch = b.build();
    SecureModel sm = SecureModel.compile(arch, 1, SecureOptions.defaults().withRelu(ReluMode.GC));
    List<String> names = names(sm);
    assertEquals(List.of(), readers(sm.handOff(), names, "b_add"), "its half travels online");
    assertEquals(List.of(), readers(sm.handOff(), names, "after_add"), "a garbled ReLU reads it");
    Model model = ResidualFoldTest.weighted(arch);
    double[][] xs = Zoo.sampleInputs(model, 2, 21);
    SecureOptions gc =
        SecureOptions.defaults().withTruncation(TruncationMode.EXACT).withRelu(ReluMode.GC);
    SecureRun.Outcome whole = SecureRun.run(model, arch, xs, 2, gc, false);
    SecureRun.Outcome streamed = SecureRun.run(model, arch, xs, 2, gc, true);
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(whole.logits()[k], streamed.logits()[k], 0.0, "input " + k);
    }
  }

  @Test
  void aBatchTooLargeToKeepInFlightIsNotStreamed() {
    SecureModel one = SecureModel.compile(ResidualFoldTest.arch(), 1);
    List<String> names = names(one);
    int stem = names.indexOf("stem");
    long perInference = 8L * one.layers().get(stem).n() * 2; // the opening and one reader's input
    int fits = (int) (HandOff.MAX_IN_FLIGHT_BYTES / perInference);
    assertEquals(
        List.of("b_conv1"),
        readers(SecureModel.compile(ResidualFoldTest.arch(), fits).handOff(), names, "stem"));
    assertEquals(
        List.of(),
        readers(SecureModel.compile(ResidualFoldTest.arch(), fits + 1).handOff(), names, "stem"));
  }

  /** The layers' names in program order. */
  private static List<String> names(SecureModel sm) {
    List<String> out = new ArrayList<>();
    for (SecureLayer l : sm.layers()) {
      out.add(l.name());
    }
    return out;
  }

  private static List<String> readers(HandOff h, List<String> names, String producer) {
    List<String> out = new ArrayList<>();
    for (int j : h.readers(names.indexOf(producer))) {
      out.add(names.get(j));
    }
    return out;
  }

  private static SecureOptions off() {
    return SecureOptions.defaults().withHandOff(false);
  }

  /**
   * On a slow shaped link with small pieces: party 1's first masked-input piece of b_conv1 leaves
   * between the first and the last piece of the stem's power opening, and that of d_conv1 inside
   * b_add's truncation opening.
   */
  @Test
  void theNextMaskedInputLeavesBeforeTheOpeningIsIn() {
    Model arch = ResidualFoldTest.arch();
    Model model = ResidualFoldTest.weighted(arch);
    double[][] xs = Zoo.sampleInputs(model, 1, 21);
    NetworkProfile slow = new NetworkProfile("slow", 20_000_000L, Duration.ofMillis(1));
    Run run = run(model, arch, xs, SecureOptions.defaults(), slow, true);
    SecureModelTest.check("two-blocks, streamed hand-off", model, xs, run.logits);
    assertInside(run.events, Tags.FUSED_POWER, 0, "stem's power");
    assertInside(run.events, Tags.TRUNCATE, 0, "b_add's truncation");
  }

  /**
   * Bit-equal logits (exact), and the same traffic at both parties, with and without: batch offline
   * (the online phase alone on the link), every online and offline count and the layers' sums;
   * streamed offline, whose hand-off runs the readers' offline steps ahead of their producer's
   * online step, the same bytes and messages per phase and the same rounds in all (the phases'
   * split of rounds moves with the early halves those steps send).
   */
  @Test
  void sameLogitsBytesAndRoundsAsWithout() {
    Model arch = ResidualFoldTest.arch();
    Model model = ResidualFoldTest.weighted(arch);
    double[][] xs = Zoo.sampleInputs(model, 2, 22);
    SecureOptions exact = SecureOptions.defaults().withTruncation(TruncationMode.EXACT);
    for (SecureOptions o : new SecureOptions[] {exact, SecureOptions.defaults()}) {
      for (boolean streamed : new boolean[] {false, true}) {
        String what = o.truncation() + (streamed ? " streamed" : " batch");
        Run on = run(model, arch, xs, o, NetworkProfile.LOOPBACK, streamed);
        Run without = run(model, arch, xs, o.withHandOff(false), NetworkProfile.LOOPBACK, streamed);
        if (o == exact) {
          for (int k = 0; k < xs.length; k++) {
            assertArrayEquals(without.logits[k], on.logits[k], 0.0, what + ": sample " + k);
          }
        }
        for (int p = 0; p < 2; p++) {
          SecureResult a = on.results.get(p);
          SecureResult b = without.results.get(p);
          String at = what + ", party " + p;
          if (streamed) {
            assertEquals(withoutRounds(b.onlineTraffic()), withoutRounds(a.onlineTraffic()), at);
            assertEquals(withoutRounds(b.offlineTraffic()), withoutRounds(a.offlineTraffic()), at);
            assertEquals(
                b.onlineTraffic().rounds() + b.offlineTraffic().rounds(),
                a.onlineTraffic().rounds() + a.offlineTraffic().rounds(),
                at + ": rounds in all");
          } else {
            assertEquals(b.onlineTraffic(), a.onlineTraffic(), at + ": online");
            assertEquals(b.offlineTraffic(), a.offlineTraffic(), at + ": offline");
            assertEquals(
                layerSum(b, LayerCost::rounds), layerSum(a, LayerCost::rounds), at + ": layers");
          }
          assertEquals(
              layerSum(b, LayerCost::bytes), layerSum(a, LayerCost::bytes), at + ": layer bytes");
        }
      }
    }
  }

  private static LinkStats.Snapshot withoutRounds(LinkStats.Snapshot s) {
    return new LinkStats.Snapshot(
        s.bytesSent(), s.bytesReceived(), s.messagesSent(), s.messagesReceived(), 0);
  }

  private static long layerSum(SecureResult r, ToLongFunction<LayerCost> f) {
    long sum = 0;
    for (LayerReport l : r.layers()) {
      sum += f.applyAsLong(l.online());
    }
    return sum;
  }

  private record Run(double[][] logits, List<SecureResult> results, List<String> events) {}

  /** One inference, both links shaped by {@code net}, pieces of {@link #CHUNK}. */
  private static Run run(
      Model owner,
      Model client,
      double[][] xs,
      SecureOptions options,
      NetworkProfile net,
      boolean streamed) {
    SecureModel sm0 = SecureModel.compile(owner, xs.length, options);
    SecureModel sm1 = SecureModel.compile(client, xs.length, options);
    InProcessSession session =
        new InProcessSession(owner.fixedPoint(), options.truncation(), Duration.ofSeconds(60));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    TwoParties.Result<SecureResult> r =
        session.run(
            p -> sm0.open(wrap(p, net, new ArrayList<>())).streamOffline(streamed).online(null),
            p -> sm1.open(wrap(p, net, events)).streamOffline(streamed).online(xs));
    return new Run(r.party1().logits(), List.of(r.party0(), r.party1()), events);
  }

  private static Party wrap(Party p, NetworkProfile net, List<String> events) {
    PartyLink link = new Events(ShapedLink.wrap(p.link(), net), events);
    return new Party(p.id(), link, p.correlations(), p.fixedPoint(), p.truncationMode());
  }

  /**
   * Between the first and the last piece of the {@code k}-th chunked message received under {@code
   * tag}, a masked-input piece was sent.
   */
  private static void assertInside(List<String> events, int tag, int k, String what) {
    int first = -1;
    int last = -1;
    int seen = -1;
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      if (e.startsWith("recv " + tag + " at 0 ")) {
        seen++;
      }
      if (seen == k && e.startsWith("recv " + tag + " ")) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    assertTrue(first >= 0 && last > first + 1, what + ": received in pieces " + events);
    int sent = -1;
    for (int i = first; i <= last && sent < 0; i++) {
      if (events.get(i).equals("send " + Tags.FIXED_WEIGHT_ONLINE)) {
        sent = i;
      }
    }
    assertTrue(
        sent > first && sent < last, what + ": a masked-input piece left inside it " + events);
  }

  /** Records chunked pieces received and sent, in order; cuts sends into {@link #CHUNK}. */
  private static final class Events extends PieceSizedLink {
    private final List<String> events;

    Events(PartyLink inner, List<String> events) {
      super(inner, CHUNK);
      this.events = events;
    }

    @Override
    protected void received(int tag, int at, int length) {
      events.add("recv " + tag + " at " + at + " of " + length);
    }

    @Override
    public ChunkSink openChunked(int tag, int length) {
      ChunkSink inner = delegate.openChunked(tag, length);
      return (src, from, count) -> {
        events.add("send " + tag);
        inner.put(src, from, count);
      };
    }
  }
}
