package org.polyshare.core.net;

import com.google.common.io.BaseEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first message each end of a link sends, after TLS and the certificate role check: protocol
 * version, role, session id and plan hash. An empty session id or plan hash asserts nothing (the
 * dealer learns both from the parties). Both ends check the peer's hello against their own and
 * report any mismatch with both values.
 */
public record Hello(int version, Role role, String sessionId, byte[] planHash) {
  /**
   * Version of the frame format, handshake and dealer protocol spoken by this build. 2: correlation
   * requests carry a bilinear map (one triple kind, one fixed-mask kind). 3: a party sends the
   * session secret to the dealer before its first plan; party 0 sends the architecture, the session
   * id and its secret to party 1. 4: the FSS ReLU request carries its shift and its keys are
   * bit-DCF keys (two rounds: masked input, masked sign and borrow bits). 5: party 1's half of an
   * opening that reads an owner-held product goes in the offline phase (tag {@code EARLY_HALF}),
   * the online opening is party 0's half alone. 6: bit-DCF keys are binary trees with a 7-bit leaf
   * (one correction block per inner level and one for the leaf). 7: bit-DCF correction blocks are
   * blocked by 2048 keys, level-major inside a block (same bytes, another order).
   */
  public static final int PROTOCOL_VERSION = 7;

  private static final int MAX_SESSION_ID = 256;

  public Hello {
    if (sessionId == null) {
      sessionId = "";
    }
    if (planHash == null) {
      planHash = new byte[0];
    }
    if (sessionId.length() > MAX_SESSION_ID) {
      throw new IllegalArgumentException(
          "session id longer than " + MAX_SESSION_ID + " characters");
    }
  }

  public static Hello of(Role role, String sessionId, byte[] planHash) {
    return new Hello(PROTOCOL_VERSION, role, sessionId, planHash);
  }

  public String planHashHex() {
    return planHash.length == 0 ? "(none)" : BaseEncoding.base16().lowerCase().encode(planHash);
  }

  byte[] encode() {
    byte[] sid = sessionId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + 2 + sid.length + 2 + planHash.length);
    b.putInt(version).put((byte) role.ordinal());
    b.putShort((short) sid.length).put(sid);
    b.putShort((short) planHash.length).put(planHash);
    return b.array();
  }

  static Hello decode(byte[] wire, String peer) {
    try {
      ByteBuffer b = ByteBuffer.wrap(wire);
      int version = b.getInt();
      int r = b.get();
      if (r < 0 || r >= Role.values().length) {
        throw new HandshakeException("hello from " + peer + " names unknown role " + r);
      }
      byte[] sid = new byte[b.getShort() & 0xFFFF];
      b.get(sid);
      byte[] hash = new byte[b.getShort() & 0xFFFF];
      b.get(hash);
      if (b.hasRemaining()) {
        throw new HandshakeException(
            "hello from " + peer + " has " + b.remaining() + " trailing bytes");
      }
      return new Hello(version, Role.values()[r], new String(sid, StandardCharsets.UTF_8), hash);
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new HandshakeException("hello from " + peer + " is malformed (" + e + ")", e);
    }
  }

  /**
   * The problems between our hello and the peer's, each naming both values; empty when they agree.
   * {@code certifiedPeerRole} is the role in the peer's certificate.
   */
  List<String> mismatches(Hello peer, Role certifiedPeerRole) {
    List<String> out = new ArrayList<>();
    if (peer.version != version) {
      out.add(
          "protocol version mismatch: "
              + role.displayName()
              + " speaks version "
              + version
              + ", "
              + peer.role.displayName()
              + " speaks version "
              + peer.version);
    }
    if (peer.role != certifiedPeerRole) {
      out.add(
          "role mismatch: certificate says "
              + certifiedPeerRole.displayName()
              + " but the hello claims "
              + peer.role.displayName());
    }
    if (!sessionId.isEmpty() && !peer.sessionId.isEmpty() && !sessionId.equals(peer.sessionId)) {
      out.add(
          "session id mismatch: "
              + role.displayName()
              + " has '"
              + sessionId
              + "', "
              + peer.role.displayName()
              + " has '"
              + peer.sessionId
              + "'");
    }
    if (planHash.length > 0
        && peer.planHash.length > 0
        && !java.util.Arrays.equals(planHash, peer.planHash)) {
      out.add(
          "plan mismatch: "
              + role.displayName()
              + " has plan hash "
              + planHashHex()
              + ", "
              + peer.role.displayName()
              + " has plan hash "
              + peer.planHashHex());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hello h
        && h.version == version
        && h.role == role
        && h.sessionId.equals(sessionId)
        && java.util.Arrays.equals(h.planHash, planHash);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(version, role, sessionId, java.util.Arrays.hashCode(planHash));
  }

  @Override
  public String toString() {
    return "Hello[v"
        + version
        + ", "
        + role.id()
        + ", session '"
        + sessionId
        + "', plan "
        + planHashHex()
        + "]";
  }
}
