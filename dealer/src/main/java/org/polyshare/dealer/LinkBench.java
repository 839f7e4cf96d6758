package org.polyshare.dealer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.polyshare.core.net.CertificateAuthority;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.LinkServer;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dealer link-bench}: loopback TLS link throughput (large long[] frames) and ping-pong
 * latency.
 */
@Command(
    name = "link-bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure the Netty/TLS link on loopback: one-way throughput of long[] frames and round-trip time.")
final class LinkBench implements Callable<Integer> {
  @Option(
      names = "--frame-longs",
      defaultValue = "1048576",
      description = "ring elements per frame (default: ${DEFAULT-VALUE})")
  int frameLongs;

  @Option(
      names = "--total-mb",
      defaultValue = "1024",
      description = "payload MB to send per repetition (default: ${DEFAULT-VALUE})")
  int totalMb;

  @Option(
      names = "--reps",
      defaultValue = "3",
      description = "repetitions after one warm-up (default: ${DEFAULT-VALUE})")
  int reps;

  @Option(
      names = "--pings",
      defaultValue = "2000",
      description = "round trips of one ring element (default: ${DEFAULT-VALUE})")
  int pings;

  @Override
  public Integer call() throws Exception {
    Path certs = Files.createTempDirectory("polyshare-bench-certs");
    CertificateAuthority.createAll(certs, CertificateAuthority.DEFAULT_HOSTS);
    LinkOptions opt = LinkOptions.defaults();
    try (NetTransport net = NetTransport.create(2);
        LinkServer server =
            net.listen(0, TlsIdentity.load(certs, Role.PARTY0), Set.of(Role.PARTY1), opt)) {
      CompletableFuture<NettyLink> acc =
          CompletableFuture.supplyAsync(
              () -> {
                NettyLink l = server.accept(Duration.ofSeconds(10));
                l.handshake(Hello.of(Role.PARTY0, "bench", null));
                return l;
              });
      NettyLink tx =
          net.connect(
              "localhost",
              server.port(),
              TlsIdentity.load(certs, Role.PARTY1),
              Role.PARTY0,
              opt,
              Duration.ofSeconds(10));
      tx.handshake(Hello.of(Role.PARTY1, "bench", null));
      NettyLink rx = acc.get();
      System.out.printf(
          "transport: %s, TLS 1.3 (JDK provider), frame = %d longs (%.1f MB)%n",
          net.nativeEpoll() ? "epoll" : "nio", frameLongs, frameLongs * 8 / 1e6);
      long[] frame = new long[frameLongs];
      for (int i = 0; i < frame.length; i++) {
        frame[i] = i * 0x9E3779B97F4A7C15L;
      }
      int frames = (int) Math.max(1, (long) totalMb * 1_000_000 / (8L * frameLongs));
      for (int r = 0; r <= reps; r++) {
        long t0 = System.nanoTime();
        CompletableFuture<Void> sender =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < frames; i++) {
                    tx.send(1, frame);
                  }
                });
        long checksum = 0;
        for (int i = 0; i < frames; i++) {
          checksum += rx.receiveLongs(1)[frameLongs - 1];
        }
        sender.get();
        double s = (System.nanoTime() - t0) / 1e9;
        double mb = 8.0 * frameLongs * frames / 1e6;
        System.out.printf(
            "%s: %d frames, %.0f MB in %.3f s = %.0f MB/s (checksum %x)%n",
            r == 0 ? "warm-up" : "rep " + r, frames, mb, s, mb / s, checksum);
      }
      long[] one = {1};
      for (int round = 0; round < 2; round++) {
        long t0 = System.nanoTime();
        CompletableFuture<Void> echo =
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < pings; i++) {
                    rx.send(3, rx.receiveLongs(2));
                  }
                });
        for (int i = 0; i < pings; i++) {
          tx.send(2, one);
          tx.receiveLongs(3);
        }
        echo.get();
        System.out.printf(
            "%s: round trip of one ring element: %.1f us (mean of %d)%n",
            round == 0 ? "warm-up" : "ping", (System.nanoTime() - t0) / 1e3 / pings, pings);
      }
      tx.close();
      rx.close();
    }
    return 0;
  }
}
