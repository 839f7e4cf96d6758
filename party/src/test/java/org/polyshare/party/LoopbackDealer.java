package org.polyshare.party;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.polyshare.core.net.Hello;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetFixtures;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.NettyLink;
import org.polyshare.core.net.Role;
import org.polyshare.dealer.DealerMetrics;
import org.polyshare.dealer.DealerServer;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureOptions;

/**
 * A real dealer service on loopback TLS with the test certificates, for one test class
 * ({@code @RegisterExtension static final LoopbackDealer dealer = ...}): started before its tests,
 * closed after. Also starts party-0 services against it.
 */
final class LoopbackDealer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final DealerServer.Settings settings;
  private NetTransport net;
  private DealerServer dealer;

  /** The default settings with sessions that wait {@code pairTimeout} for their second party. */
  LoopbackDealer(Duration pairTimeout) {
    this(DealerServer.Settings.defaults().withPairTimeout(pairTimeout));
  }

  LoopbackDealer(DealerServer.Settings settings) {
    this.settings = settings;
  }

  /** Started now, outside JUnit's class life cycle (close it yourself). */
  static LoopbackDealer started(DealerServer.Settings settings) {
    LoopbackDealer d = new LoopbackDealer(settings);
    d.start();
    return d;
  }

  private void start() {
    net = NetTransport.create(2);
    dealer =
        new DealerServer(net, NetFixtures.identity(Role.DEALER), 0, settings, new DealerMetrics());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    dealer.close();
    net.close();
  }

  NetTransport net() {
    return net;
  }

  DealerServer server() {
    return dealer;
  }

  int port() {
    return dealer.port();
  }

  /** Sessions of two parties (party 0 running {@code model}) served by this dealer. */
  Parties parties(String model) {
    return new Parties(this, model);
  }

  /**
   * Party 0 as a service of {@code model} with this dealer, timeouts {@code t}, {@code concurrent}
   * sessions at once, at most {@code maxSessions} (0 = unlimited) and {@code maxInferences} each.
   */
  PartyService service(
      Model model,
      SecureOptions options,
      Duration t,
      int concurrent,
      int maxSessions,
      int maxInferences) {
    return service(
        model,
        options,
        new PartyService.Settings(
            "localhost", port(), t, t, concurrent, maxSessions, maxInferences, null, 1));
  }

  /** Party 0 as a service of {@code model} with {@code settings} (naming this dealer). */
  PartyService service(Model model, SecureOptions options, PartyService.Settings settings) {
    return new PartyService(
        net, NetFixtures.identity(Role.PARTY0), model, options, 0, settings, new PartyMetrics());
  }

  /** As above with the party path's truncation. */
  PartyService service(
      Model model, Duration t, int concurrent, int maxSessions, int maxInferences) {
    return service(
        model,
        PartyRunner.options(PartyRunner.TRUNCATION),
        t,
        concurrent,
        maxSessions,
        maxInferences);
  }

  /** A party-1 link to party 0 (or a service) at {@code port}, authenticated, before its hello. */
  NettyLink dial(int port, LinkOptions options) {
    return net.connect(
        "localhost",
        port,
        NetFixtures.identity(Role.PARTY1),
        Role.PARTY0,
        options,
        Duration.ofSeconds(5));
  }

  /**
   * A party 1 that says hello as {@code session}, asks for a session of one inference, reads the
   * architecture and then sits: its session has begun at party 0 and waits for it.
   */
  NettyLink stalledSession(int port, LinkOptions options, String session) {
    NettyLink l = dial(port, options);
    l.handshake(Hello.of(Role.PARTY1, session, null));
    l.send(SessionStart.TAG_SESSION_REQUEST, new long[] {1});
    l.receiveBytes(SessionStart.TAG_ARCHITECTURE);
    return l;
  }
}
