package org.polyshare.core.net;

import java.util.Locale;

/**
 * Who a process is. The role is written into its certificate (subject {@code OU=<role>}, {@code
 * CN=polyshare-<role>}) by {@link CertificateAuthority} and checked by the other end of every link
 * after the TLS handshake, so a party cannot pose as the dealer or as the other party.
 */
public enum Role {
  DEALER("dealer"),
  PARTY0("party0"),
  PARTY1("party1");

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /**
   * The short name used in certificates and file names: {@code dealer}, {@code party0}, {@code
   * party1}.
   */
  public String id() {
    return id;
  }

  /** The certificate common name, {@code polyshare-<id>}. */
  public String commonName() {
    return "polyshare-" + id;
  }

  /** Human name for messages: "dealer", "party 0", "party 1". */
  public String displayName() {
    return this == DEALER ? "dealer" : "party " + partyIndex();
  }

  /** 0 or 1 for the parties; the dealer has none. */
  public int partyIndex() {
    if (this == DEALER) {
      throw new IllegalStateException("the dealer is not a party");
    }
    return this == PARTY0 ? 0 : 1;
  }

  public static Role party(int index) {
    if (index == 0) {
      return PARTY0;
    }
    if (index == 1) {
      return PARTY1;
    }
    throw new IllegalArgumentException("party index must be 0 or 1, got " + index);
  }

  /** The party on the other side of a party-to-party link. */
  public Role otherParty() {
    return party(1 - partyIndex());
  }

  /** Parses {@link #id()}; null when the text names no role. */
  public static Role fromId(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.id.equals(t)) {
        return r;
      }
    }
    return null;
  }
}
