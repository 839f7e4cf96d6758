package org.polyshare.dealer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.FssReluKeys;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;

/**
 * A request whose dealt material is larger than the frame limit, as an FSS ReLU layer's keys are at
 * a large batch (ResNet-8 at batch 20: 626 MB to party 0 against a 256 MiB limit): the dealer sends
 * it in pieces under the limit, and both parties get exactly the in-process dealer's material. Here
 * the limit is 64 KiB on every end, and 200 ReLUs' keys are about 500 KB.
 */
class DealerLargeMessageTest {
  private static final LinkOptions SMALL_FRAMES =
      NetFixtures.fastOptions().withMaxPayload(64 << 10);
  private static NetTransport net;
  private static DealerServer dealer;

  @BeforeAll
  static void start() {
    net = NetTransport.create(2);
    dealer =
        new DealerServer(
            net,
            NetFixtures.identity(Role.DEALER),
            0,
            DealerServer.Settings.defaults()
                .withLink(SMALL_FRAMES)
                .withSeeds(session -> DealerSessions.seeds(session.hashCode())),
            new DealerMetrics());
  }

  @AfterAll
  static void stop() {
    dealer.close();
    net.close();
  }

  private static RemoteCorrelationSource source(int party, String session, CorrelationPlan plan) {
    return DealerServerTest.connect(
        net, dealer, party, session, DealerServerTest.secretOf(session), plan, SMALL_FRAMES);
  }

  @Test
  void materialLargerThanTheFrameLimitArrivesInPiecesAndWhole() throws Exception {
    String session = "large-fss-keys";
    CorrelationRequest keys = new CorrelationRequest.FssRelu(1000, 40, 16);
    CorrelationRequest small = new CorrelationRequest.Triples(10);
    CorrelationPlan plan = CorrelationPlan.of(keys, small);
    CompletableFuture<RemoteCorrelationSource> c0 =
        CompletableFuture.supplyAsync(() -> source(0, session, plan));
    RemoteCorrelationSource s1 = source(1, session, plan);
    RemoteCorrelationSource s0 = c0.get(5, TimeUnit.SECONDS);
    InProcessDealer local = new InProcessDealer(DealerSessions.seeds(session.hashCode()));
    RemoteCorrelationSource[] remote = {s0, s1};
    long keyBytes = 0;
    for (CorrelationRequest r : plan.requests()) {
      CompletableFuture<Correlation> got0 = CompletableFuture.supplyAsync(() -> s0.next(r));
      Correlation got1 = s1.next(r);
      Correlation[] got = {got0.get(10, TimeUnit.SECONDS), got1};
      if (got1 instanceof FssReluKeys k) {
        keyBytes = k.keyBytes();
      }
      for (int p = 0; p < 2; p++) {
        Correlation want = local.source(p).next(r);
        List<long[]> a = DealerSessions.arrays(got[p]);
        List<long[]> b = DealerSessions.arrays(want);
        assertEquals(b.size(), a.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(b.get(i), a.get(i), r + " component " + i + " of party " + p);
        }
      }
    }
    assertTrue(
        keyBytes > 4 * SMALL_FRAMES.maxPayload(),
        "the keys must pass the frame limit several times over, got " + keyBytes + " bytes");
    for (RemoteCorrelationSource s : remote) {
      s.close();
    }
  }
}
