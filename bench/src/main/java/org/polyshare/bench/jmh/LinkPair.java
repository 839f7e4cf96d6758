package org.polyshare.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.polyshare.core.link.InMemoryLink;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.link.PartyLink;
import org.polyshare.core.link.ShapedLink;
import org.polyshare.core.net.CertificateAuthority;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;

/**
 * Two connected party link ends for a benchmark: {@code "memory"} (an {@link InMemoryLink} pair) or
 * {@code "netty"} (party 0 listens on an ephemeral loopback port, party 1 connects, TLS 1.3 with
 * fresh certificates and the hello exchange, as {@code party run} does; default {@link
 * LinkOptions}). {@link #shaped} wraps both ends in a {@link ShapedLink}, as both runners of {@code
 * bench compare} do, so the shaped pair shows what the real link adds on top of the profile.
 */
final class LinkPair implements AutoCloseable {
  private final PartyLink[] ends;
  private final NetTransport net;
  private final Path certs;

  private LinkPair(PartyLink[] ends, NetTransport net, Path certs) {
    this.ends = ends;
    this.net = net;
    this.certs = certs;
  }

  static LinkPair open(String kind) {
    return switch (kind) {
      case "memory" -> new LinkPair(InMemoryLink.pair(), null, null);
      case "netty" -> netty();
      default -> throw new IllegalArgumentException("link must be netty or memory, got " + kind);
    };
  }

  private static LinkPair netty() {
    Path certs;
    try {
      certs = Files.createTempDirectory("polyshare-link-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CertificateAuthority.createAll(certs, CertificateAuthority.DEFAULT_HOSTS);
    NetTransport net = NetTransport.create();
    LinkOptions options = LinkOptions.defaults();
    byte[] plan = new byte[32];
    try {
      NettyLink[] l =
          net.loopbackPair(
              TlsIdentity.load(certs, Role.PARTY0),
              Hello.of(Role.PARTY0, "link-bench", plan),
              TlsIdentity.load(certs, Role.PARTY1),
              Hello.of(Role.PARTY1, "link-bench", plan),
              options,
              Duration.ofSeconds(30));
      System.err.println(
          "link benchmark: " + l[0].tlsDescription() + " (" + l[0].tlsEngine() + " engine)");
      return new LinkPair(new PartyLink[] {l[0], l[1]}, net, certs);
    } catch (RuntimeException e) {
      net.close();
      throw new IllegalStateException("could not open the loopback TLS link pair", e);
    }
  }

  /**
   * This pair with both ends shaped by {@code profile} (each end shapes its own sends, as each
   * party does); unshaped profiles return the pair as it is. Closing the result closes the inner
   * links.
   */
  LinkPair shaped(NetworkProfile profile) {
    return new LinkPair(
        new PartyLink[] {ShapedLink.wrap(ends[0], profile), ShapedLink.wrap(ends[1], profile)},
        net,
        certs);
  }

  /** Party {@code i}'s end. */
  PartyLink end(int i) {
    return ends[i];
  }

  @Override
  public void close() {
    ends[0].close();
    ends[1].close();
    if (net != null) {
      net.close();
    }
    if (certs != null) {
      try (Stream<Path> files = Files.walk(certs)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // temporary certificates only
      }
    }
  }
}
