package org.polyshare.core.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.polyshare.core.link.LinkClosedException;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.link.LinkTimeoutException;

class NettyLinkTest {
  private static final NetTransport net = NetFixtures.transport();
  private static final LinkOptions OPT = NetFixtures.fastOptions();
  private static final byte[] PLAN = {1, 2, 3, 4};

  @Test
  void ringElementsAndBytesRoundTripWithCounters() {
    NettyLink[] l = NetFixtures.partyPair(net, OPT, "s1", PLAN);
    try {
      assertEquals(Role.PARTY1, l[0].peerRole());
      assertEquals(Role.PARTY0, l[1].peerRole());
      assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256", l[0].tlsDescription());
      assertEquals("TLSv1.3 TLS_AES_128_GCM_SHA256", l[1].tlsDescription());
      SplittableRandom rnd = new SplittableRandom(7);
      long[] big = rnd.longs(1_000_003).toArray();
      l[1].send(5, big);
      l[1].send(6, new byte[] {9, 8, 7});
      l[1].send(5, new long[0]);
      assertArrayEquals(new byte[] {9, 8, 7}, l[0].receiveBytes(6));
      assertArrayEquals(big, l[0].receiveLongs(5));
      assertArrayEquals(new long[0], l[0].receiveLongs(5));
      l[0].send(1, new long[] {42});
      assertArrayEquals(new long[] {42}, l[1].receiveLongs(1));
      assertEquals(8L * big.length + 3, l[1].stats().bytesSent());
      assertEquals(8L * big.length + 3, l[0].stats().bytesReceived());
      assertEquals(1, l[1].stats().rounds());
      assertEquals(1, l[0].stats().rounds());
      assertThrows(IllegalArgumentException.class, () -> l[0].send(-5, new long[1]));
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void receiveTimesOutWithClearMessage() {
    NettyLink[] l = NetFixtures.partyPair(net, OPT.withTimeout(Duration.ofMillis(300)), "s2", PLAN);
    try {
      long t0 = System.nanoTime();
      LinkTimeoutException e = assertThrows(LinkTimeoutException.class, () -> l[0].receiveLongs(3));
      assertTrue((System.nanoTime() - t0) / 1e6 < 2000);
      assertTrue(
          e.getMessage().contains("tag 3") && e.getMessage().contains("party 1"), e.getMessage());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void peerGoneFailsPendingReceiveAtOnce() throws Exception {
    NettyLink[] l = NetFixtures.partyPair(net, OPT.withTimeout(Duration.ofSeconds(20)), "s3", PLAN);
    CompletableFuture<long[]> waiting = CompletableFuture.supplyAsync(() -> l[0].receiveLongs(1));
    Thread.sleep(100);
    long t0 = System.nanoTime();
    l[1].channel().close(); // abrupt: no error frame
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
    assertTrue((System.nanoTime() - t0) / 1e6 < 5000);
    assertTrue(e.getCause() instanceof LinkClosedException, String.valueOf(e.getCause()));
    assertTrue(
        e.getCause().getMessage().contains("party 1") && e.getCause().getMessage().contains("lost"),
        e.getCause().getMessage());
    assertThrows(LinkClosedException.class, () -> l[0].send(1, new long[1]));
    l[0].close();
  }

  @Test
  void blockedSenderTimesOutWhenPeerStopsReading() {
    LinkOptions small = OPT.withTimeout(Duration.ofMillis(500)).withWaterMarks(32 << 10, 64 << 10);
    NettyLink[] l = NetFixtures.partyPair(net, small, "s4", PLAN);
    try {
      l[0].channel().config().setAutoRead(false); // party 0 stops reading its socket
      long[] chunk = new long[64 << 10];
      LinkTimeoutException e =
          assertThrows(
              LinkTimeoutException.class,
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  l[1].send(1, chunk);
                }
              });
      assertTrue(e.getMessage().contains("not reading"), e.getMessage());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void oversizedFrameEndsTheLinkOnBothSides() {
    NettyLink server = null;
    NettyLink client = null;
    try (LinkServer s =
        net.listen(
            0, NetFixtures.identity(Role.PARTY0), Set.of(Role.PARTY1), OPT.withMaxPayload(1024))) {
      CompletableFuture<NettyLink> acc =
          CompletableFuture.supplyAsync(() -> s.accept(Duration.ofSeconds(5)));
      client = NetFixtures.connectAsParty1(net, s.port(), OPT);
      server = acc.join();
      client.send(1, new long[200]); // 1600 bytes > 1024 allowed by the receiver
      NettyLink srv = server;
      LinkException e0 = assertThrows(LinkException.class, () -> srv.receiveLongs(1));
      assertTrue(e0.getMessage().contains("exceeds the limit of 1024"), e0.getMessage());
      NettyLink cli = client;
      LinkException e1 = assertThrows(LinkException.class, () -> cli.receiveLongs(1));
      assertTrue(e1.getCause() instanceof PeerAbortedException, String.valueOf(e1.getCause()));
      assertTrue(e1.getMessage().contains("exceeds the limit of 1024"), e1.getMessage());
    } finally {
      if (server != null) {
        server.close();
      }
      if (client != null) {
        client.close();
      }
    }
  }

  @Test
  void garbageInsideTlsEndsTheLinkOnBothSides() {
    NettyLink[] l = NetFixtures.partyPair(net, OPT, "s5", PLAN);
    try {
      byte[] junk = new byte[64];
      new SplittableRandom(3).nextBytes(junk);
      junk[8] = 7; // an unknown payload kind, whatever the length says
      junk[0] = 20;
      junk[1] = junk[2] = junk[3] = 0;
      l[1].channel().writeAndFlush(Unpooled.wrappedBuffer(junk));
      LinkException e0 = assertThrows(LinkException.class, () -> l[0].receiveLongs(1));
      assertTrue(e0.getMessage().contains("malformed frame from party 1"), e0.getMessage());
      LinkException e1 = assertThrows(LinkException.class, () -> l[1].receiveLongs(1));
      assertTrue(e1.getMessage().contains("unknown payload kind"), e1.getMessage());
    } finally {
      l[0].close();
      l[1].close();
    }
  }

  @Test
  void plaintextGarbageIsRefusedAsNotTls() throws Exception {
    try (LinkServer s = net.listen(0, NetFixtures.identity(Role.PARTY0), Set.of(Role.PARTY1), OPT);
        Socket raw = new Socket("127.0.0.1", s.port())) {
      OutputStream out = raw.getOutputStream();
      byte[] junk = new byte[512];
      new SplittableRandom(4).nextBytes(junk);
      out.write(junk);
      out.flush();
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> s.accept(Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    }
  }

  @Test
  void connectGivesUpAtDeadlineWhenNobodyListens() throws Exception {
    int port = NetFixtures.freePort();
    long t0 = System.nanoTime();
    LinkTimeoutException e =
        assertThrows(
            LinkTimeoutException.class,
            () ->
                net.connect(
                    "127.0.0.1",
                    port,
                    NetFixtures.identity(Role.PARTY0),
                    Role.DEALER,
                    OPT,
                    Duration.ofMillis(800)));
    double ms = (System.nanoTime() - t0) / 1e6;
    assertTrue(ms >= 700 && ms < 4000, "took " + ms + " ms");
    assertTrue(e.getMessage().contains("dealer at 127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void connectRetriesUntilTheListenerAppears() throws Exception {
    int port = NetFixtures.freePort();
    CompletableFuture<NettyLink> client =
        CompletableFuture.supplyAsync(() -> NetFixtures.connectAsParty1(net, port, OPT));
    Thread.sleep(600);
    try (LinkServer s =
        net.listen(port, NetFixtures.identity(Role.PARTY0), Set.of(Role.PARTY1), OPT)) {
      NettyLink server = s.accept(Duration.ofSeconds(5));
      NettyLink c = client.get(5, TimeUnit.SECONDS);
      // a protocol message only after the hello exchange (see aMessageBeforeTheHelloIsRefused)
      CompletableFuture<Hello> serverHello =
          CompletableFuture.supplyAsync(
              () -> server.handshake(Hello.of(Role.PARTY0, "retry", PLAN)));
      assertEquals(Role.PARTY0, c.handshake(Hello.of(Role.PARTY1, "retry", PLAN)).role());
      assertEquals(Role.PARTY1, serverHello.get(5, TimeUnit.SECONDS).role());
      c.send(2, new byte[] {1});
      assertArrayEquals(new byte[] {1}, server.receiveBytes(2));
      c.close();
      server.close();
    }
  }

  @Test
  void aMessageBeforeTheHelloIsRefused() throws Exception {
    try (LinkServer s =
        net.listen(0, NetFixtures.identity(Role.PARTY0), Set.of(Role.PARTY1), OPT)) {
      CompletableFuture<NettyLink> acc =
          CompletableFuture.supplyAsync(() -> s.accept(Duration.ofSeconds(5)));
      NettyLink c = NetFixtures.connectAsParty1(net, s.port(), OPT);
      NettyLink server = acc.get(5, TimeUnit.SECONDS);
      c.send(2, new byte[] {1}); // no hello first
      HandshakeException e0 =
          assertThrows(
              HandshakeException.class, () -> server.handshake(Hello.of(Role.PARTY0, "", null)));
      assertTrue(
          e0.getMessage().contains("sent a message (tag 2) before its hello"), e0.getMessage());
      LinkException e1 = assertThrows(LinkException.class, () -> c.receiveBytes(2));
      assertTrue(e1.getCause() instanceof PeerAbortedException, String.valueOf(e1.getCause()));
      assertTrue(e1.getMessage().contains("before its hello"), e1.getMessage());
      c.close();
      server.close();
    }
  }
}
