package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.ForwardingPartyLink;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.protocol.Party;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.core.store.MaterialStore;

/**
 * The offline table stream between two processes flows with back-pressure: over a real TLS link,
 * with party 1 reading slowly, what waits unread at party 1 never passes the link's queue cap,
 * although the stream is many times larger; the tables go on into party 1's material store as they
 * are read. Deterministic: it asserts on byte counts, not on time.
 */
class GcStreamBackPressureTest {
  private static final long CAP = 8L << 20;

  @TempDir Path parent;

  /** Party 1's link, reading each of the first chunks of tables late. */
  private static final class SlowReader extends ForwardingPartyLink {
    private int late = 6;

    SlowReader(PartyLink delegate) {
      super(delegate);
    }

    @Override
    public long[] receiveLongs(int tag) {
      if (tag == GcRelu.function(16).tags.tables() && late-- > 0) {
        try {
          Thread.sleep(250); // party 0 garbles on meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.receiveLongs(tag);
    }
  }

  @Test
  void theTableStreamStaysUnderTheQueueCapAndLandsInTheStore() throws Exception {
    int n = 4096; // 16 chunks of about 1.7 MB: 23 MB of tables, 27 MB sent
    GcFunction f = GcRelu.function(16);
    InProcessDealer dealer = new InProcessDealer();
    LinkOptions options =
        NetFixtures.fastOptions().withTimeout(Duration.ofSeconds(60)).withMaxQueuedBytes(CAP);
    try (NetTransport net = NetTransport.create(2);
        MaterialStore s1 = MaterialStore.under(parent, 1 << 24)) {
      NettyLink[] links = NetFixtures.partyPair(net, options, "gc-stream", null);
      try (NettyLink l0 = links[0];
          NettyLink l1 = links[1]) {
        CompletableFuture<GcOffline> garbler =
            CompletableFuture.supplyAsync(
                () ->
                    SharedGc.prepare(
                        new Party(0, l0, dealer.source(0), FixedPoint.defaults()), f, n));
        Party p1 =
            new Party(1, new SlowReader(l1), dealer.source(1), FixedPoint.defaults())
                .withMaterialStore(s1);
        GcOffline mine = SharedGc.prepare(p1, f, n);
        GcOffline theirs = garbler.get(120, TimeUnit.SECONDS);
        long tableBytes = 8L * (4L * f.circuit.andCount() * n);
        assertTrue(l0.stats().bytesSent() > tableBytes && tableBytes > 2 * CAP);
        System.out.printf(
            "GC stream: %d bytes sent, at most %d queued unread at party 1 (cap %d)%n",
            l0.stats().bytesSent(), l1.peakQueuedBytes(), CAP);
        assertTrue(
            l1.peakQueuedBytes() <= CAP,
            "party 1 held "
                + l1.peakQueuedBytes()
                + " bytes unread at once; the link's cap is "
                + CAP);
        assertEquals(mine.storedBytes() - mine.heapBytes(), s1.bytes(), "tables in the store");
        assertTrue(s1.bytes() > tableBytes);
        mine.close();
        theirs.close();
        assertEquals(0, s1.bytes());
      }
    }
  }
}
