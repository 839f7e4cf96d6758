package org.polyshare.core.net;

import java.time.Duration;
import java.util.ArrayDeque;
import org.polyshare.core.correlation.Correlation;
import org.polyshare.core.correlation.CorrelationExpander;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.correlation.CorrelationSource;
import org.polyshare.core.correlation.DealerMessage;
import org.polyshare.core.link.LinkStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CorrelationSource} fed by the dealer process over a TLS {@link NettyLink}: the networked
 * twin of {@code InProcessDealer}'s sources. It submits plan batches ({@link DealerProtocol}),
 * receives one {@link DealerMessage} per request as the dealer streams them, and expands each with
 * {@link CorrelationExpander} on the caller's thread — the same expansion as in process, so equal
 * dealer seeds give equal correlations.
 *
 * <p>{@link #next} serves the submitted plan in order and checks each request against it; a request
 * beyond the submitted plan is sent as a one-request batch (correct, but one dealer round trip
 * each: submit whole plans, and prefetch with {@code PrefetchingCorrelationSource} to keep the
 * dealer out of the online phase). Not thread-safe: one protocol thread per party.
 *
 * <pre>{@code
 * RemoteCorrelationSource src = RemoteCorrelationSource.connect(net, "dealer-host", 7100,
 *     TlsIdentity.load(certs, Role.PARTY0), "session-42", secret, plan, LinkOptions.defaults(),
 *     Duration.ofSeconds(30));
 * }</pre>
 */
public final class RemoteCorrelationSource implements CorrelationSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteCorrelationSource.class);

  private final NettyLink link;
  private final int partyId;
  private final ArrayDeque<CorrelationRequest> submitted = new ArrayDeque<>();
  private boolean closed;

  private RemoteCorrelationSource(NettyLink link, int partyId) {
    this.link = link;
    this.partyId = partyId;
  }

  /**
   * Connects to the dealer (retrying until {@code deadline}: it may start later), authenticates it,
   * joins {@code sessionId} proving it holds {@code sessionSecret} (party 0 drew it and handed it
   * to party 1 over their link; the dealer pairs only the two holders) and submits {@code
   * firstPlan}, whose hash the dealer compares with the other party's.
   */
  public static RemoteCorrelationSource connect(
      NetTransport net,
      String host,
      int port,
      TlsIdentity me,
      String sessionId,
      byte[] sessionSecret,
      CorrelationPlan firstPlan,
      LinkOptions options,
      Duration deadline) {
    if (me.role() == Role.DEALER) {
      throw new IllegalArgumentException(
          "a correlation source belongs to a party; got the dealer's identity");
    }
    if (sessionId == null || sessionId.isBlank()) {
      throw new IllegalArgumentException(
          "a dealer session needs a non-empty session id shared by both parties");
    }
    if (sessionSecret == null
        || sessionSecret.length < DealerProtocol.MIN_SECRET_BYTES
        || sessionSecret.length > DealerProtocol.MAX_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a dealer session needs a secret of "
              + DealerProtocol.MIN_SECRET_BYTES
              + " to "
              + DealerProtocol.MAX_SECRET_BYTES
              + " bytes");
    }
    NettyLink link = net.connect(host, port, me, Role.DEALER, options, deadline);
    try {
      link.handshake(Hello.of(me.role(), sessionId, firstPlan.sha256()));
      link.send(DealerProtocol.TAG_SECRET, sessionSecret);
      RemoteCorrelationSource s = new RemoteCorrelationSource(link, me.role().partyIndex());
      s.submit(firstPlan);
      return s;
    } catch (RuntimeException e) {
      link.close();
      throw e;
    }
  }

  /** Wraps an already handshaken link to the dealer (the caller submits the first plan). */
  public static RemoteCorrelationSource over(NettyLink dealerLink) {
    if (dealerLink.peerRole() != Role.DEALER) {
      throw new IllegalArgumentException(
          "link peer is " + dealerLink.peerName() + ", not the dealer");
    }
    return new RemoteCorrelationSource(dealerLink, dealerLink.localRole().partyIndex());
  }

  /** Sends the next plan batch; the other party must submit the same one. */
  public void submit(CorrelationPlan plan) {
    if (closed) {
      throw new IllegalStateException("correlation source of party " + partyId + " is closed");
    }
    link.send(DealerProtocol.TAG_PLAN, plan.encode());
    submitted.addAll(plan.requests());
    LOG.debug(
        "party {}: submitted a plan batch of {} requests to the dealer ({} pending)",
        partyId,
        plan.size(),
        submitted.size());
  }

  @Override
  public int partyId() {
    return partyId;
  }

  @Override
  public Correlation next(CorrelationRequest request) {
    if (submitted.isEmpty()) {
      submit(CorrelationPlan.of(request));
    }
    CorrelationPlan.checkNext(
        submitted.pollFirst(), request, "party " + partyId, "the plan submitted to the dealer");
    long[] encoded = DealerProtocol.receiveDeal(link);
    LOG.trace(
        "party {}: dealer message of {} words for a {} request",
        partyId,
        encoded.length,
        request.getClass().getSimpleName());
    DealerMessage m = DealerMessage.decode(encoded);
    return CorrelationExpander.expand(partyId, request, m);
  }

  /** Requests submitted but not yet served. */
  public int pending() {
    return submitted.size();
  }

  /** Traffic with the dealer (payload bytes; the dealer's downstream is {@code bytesReceived}). */
  public LinkStats stats() {
    return link.stats();
  }

  public NettyLink link() {
    return link;
  }

  /** Tells the dealer the session is over and closes the link. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.debug(
        "party {}: leaving the dealer session ({} bytes received)",
        partyId,
        link.stats().bytesReceived());
    try {
      if (link.isOpen()) {
        link.send(DealerProtocol.TAG_PLAN, DealerProtocol.BYE);
      }
    } catch (RuntimeException ignored) {
      // the dealer is already gone; nothing left to tell it
    }
    link.close();
  }
}
