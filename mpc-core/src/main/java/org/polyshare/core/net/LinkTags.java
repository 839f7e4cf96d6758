package org.polyshare.core.net;

import java.util.Collection;
import org.polyshare.core.link.TagSet;
import org.polyshare.core.link.TagSet.Family;

/**
 * The registry of message tags by protocol family, and which families each end of a link reads —
 * decided by the certified roles at its two ends, so no protocol code has to declare anything per
 * link. A frame under a tag outside the reader's families ends the link (nothing would read it). A
 * new protocol family that talks between the parties registers its range here.
 */
public final class LinkTags {
  private LinkTags() {}

  /**
   * Tags below 2^16: the arithmetic protocols ({@code protocol.Tags}, 100–199) and test traffic.
   */
  public static final Family CORE = new Family("arithmetic protocols", 0, 0xFFFF);

  /** Garbled circuits and their benchmarks: {@code 0x4743xxxx} ("GC"). */
  public static final Family GARBLED_CIRCUITS = Family.prefixed("garbled circuits", 0x4743);

  /** Session agreement between the parties: {@code 0x5345xxxx} ("SE"). */
  public static final Family SESSION = Family.prefixed("session control", 0x5345);

  /** Phase barriers between the parties: {@code 0x5048xxxx} ("PH"). */
  public static final Family PHASE = Family.prefixed("phase barriers", 0x5048);

  /** What one party reads from the other. */
  public static final TagSet BETWEEN_PARTIES = TagSet.of(CORE, GARBLED_CIRCUITS, SESSION, PHASE);

  /** What the dealer reads from a party: its session secret, then plan batches. */
  public static final TagSet AT_DEALER =
      TagSet.of(
          Family.single("session secret", DealerProtocol.TAG_SECRET),
          Family.single("dealer plans", DealerProtocol.TAG_PLAN));

  /** What a party reads from the dealer: the dealt stream. */
  public static final TagSet FROM_DEALER =
      TagSet.of(Family.single("dealt correlations", DealerProtocol.TAG_DEAL));

  /** The tags {@code local} reads from a peer holding {@code peer}'s certificate. */
  public static TagSet readBy(Role local, Role peer) {
    if (local == Role.DEALER) {
      return peer == Role.DEALER ? TagSet.NONE : AT_DEALER;
    }
    return peer == Role.DEALER ? FROM_DEALER : BETWEEN_PARTIES;
  }

  /** The union over the peer roles a listener accepts. */
  public static TagSet readBy(Role local, Collection<Role> peers) {
    TagSet all = TagSet.NONE;
    for (Role p : peers) {
      all = all.union(readBy(local, p));
    }
    return all;
  }
}
