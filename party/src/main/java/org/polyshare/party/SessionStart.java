package org.polyshare.party;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.net.NettyLink;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.secure.SecureOptions;

/**
 * The session start on the authenticated party link, right after the hello. Party 1 holds no model:
 * party 0 tells it the architecture, party 1 compiles its plan from it, and the plan hash both then
 * submit to the dealer binds what the two run.
 *
 * <pre>
 *   1 → 0  TAG_SESSION_REQUEST  long[] {inferences} or {inferences, batch} (batch &gt; 1: inputs per inference)
 *   0 → 1  TAG_ARCHITECTURE     bytes  Architecture.encode() (shapes, degrees, f, input range; no weights)
 *   1 → 0  TAG_PLAN_HASH        bytes  SHA-256 of the plan party 1 compiled for that many inferences
 *   0 → 1  TAG_SESSION_ID       bytes  the dealer session id (UTF-8)
 *   0 → 1  TAG_SESSION_SECRET   bytes  32 bytes from a CSPRNG: the dealer pairs only its holders
 * </pre>
 *
 * Either side that refuses aborts the link with a {@link PeerError} (code + fixed sentence) and
 * throws the detail locally.
 *
 * <p>The truncation ({@code --truncation}) and the ReLU mode ({@code --relu gc|fss}, ReLU and
 * max-pool) are not sent: each party gives its own, as each party decides what it is willing to
 * run. Both change the correlations drawn, so they enter the plan hash, and a party 1 that chose
 * otherwise than party 0 is refused here as a plan mismatch, never switched silently.
 */
final class SessionStart {
  private SessionStart() {}

  static final int TAG_SESSION_REQUEST = 0x5345_5351;
  static final int TAG_ARCHITECTURE = 0x5345_5341;
  static final int TAG_PLAN_HASH = 0x5345_5350;
  static final int TAG_SESSION_ID = 0x5345_5349;
  static final int TAG_SESSION_SECRET = 0x5345_5353;

  /** 256 bits: far beyond guessing, and 16 ≤ 32 ≤ 64 as the dealer requires. */
  static final int SECRET_BYTES = 32;

  static final int MAX_SESSION_ID = 256;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The dealer session both parties join; {@link #toString} never shows the secret. */
  record Dealer(String sessionId, byte[] secret) {
    @Override
    public String toString() {
      return "dealer session '" + sessionId + "'";
    }
  }

  /** What party 0 agreed to run: {@code inferences} of {@code secure.batch()} inputs each. */
  record Offered(int inferences, SecureModel secure, CorrelationPlan plan, Dealer dealer) {}

  /** What party 1 received and compiled. */
  record Joined(
      Architecture architecture, SecureModel secure, CorrelationPlan plan, Dealer dealer) {}

  /**
   * A random session id, for a party 0 not given one (ids are printed in logs: the secret guards
   * the slot).
   */
  static String randomSessionId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "s-" + HexFormat.of().formatHex(b);
  }

  /**
   * Sees every secret party 0 draws; a no-op but in the log-leak test, which needs the secret to
   * scan the logs of a real session for it (the secret never leaves the party and dealer links).
   */
  static volatile Consumer<byte[]> drawnSecrets = s -> {};

  static byte[] newSecret() {
    byte[] s = new byte[SECRET_BYTES];
    RANDOM.nextBytes(s);
    drawnSecrets.accept(s.clone());
    return s;
  }

  /**
   * Party 0's side. {@code allowed} decides the inference counts it serves ({@code refusal} is the
   * local message when it refuses); {@code compiled} gives the secure model for a requested batch,
   * or null to refuse it ({@code batchRefusal}); {@code sessionId} is the dealer session it names.
   */
  static Offered offer(
      NettyLink peer,
      Architecture arch,
      IntFunction<SecureModel> compiled,
      IntPredicate allowed,
      String refusal,
      String batchRefusal,
      String sessionId) {
    long[] req = peer.receiveLongs(TAG_SESSION_REQUEST);
    if (req.length < 1
        || req.length > 2
        || req[0] < 1
        || req[0] > Integer.MAX_VALUE
        || !allowed.test((int) req[0])) {
      throw PeerError.BAD_REQUEST.abort(
          peer,
          new IllegalStateException(
              "party 1 asks for "
                  + (req.length == 1 ? Long.toString(req[0]) : "a malformed number of")
                  + " inferences; "
                  + refusal));
    }
    long batch = req.length == 2 ? req[1] : 1;
    SecureModel sm = batch >= 1 && batch <= Integer.MAX_VALUE ? compiled.apply((int) batch) : null;
    if (sm == null) {
      throw PeerError.BAD_REQUEST.abort(
          peer,
          new IllegalStateException(
              "party 1 asks for batches of " + batch + " inputs; " + batchRefusal));
    }
    int inferences = (int) req[0];
    CorrelationPlan plan = sm.plan(inferences);
    peer.send(TAG_ARCHITECTURE, arch.encode());
    byte[] theirs = peer.receiveBytes(TAG_PLAN_HASH);
    if (!Arrays.equals(theirs, plan.sha256())) {
      throw PeerError.PLAN_MISMATCH.abort(
          peer,
          new PlanMismatchException(
              "plan mismatch: party 0 has plan hash "
                  + plan.sha256Hex()
                  + " for "
                  + inferences
                  + " inferences of architecture "
                  + arch.sha256Hex()
                  + " (truncation "
                  + sm.options().truncation().name().toLowerCase(java.util.Locale.ROOT)
                  + ", ReLU "
                  + sm.options().relu().name().toLowerCase(java.util.Locale.ROOT)
                  + "), party 1 compiled plan hash "
                  + HexFormat.of().formatHex(theirs)
                  + ": both parties must give the same --truncation and --relu"));
    }
    Dealer d = new Dealer(sessionId, newSecret());
    peer.send(TAG_SESSION_ID, sessionId.getBytes(StandardCharsets.UTF_8));
    peer.send(TAG_SESSION_SECRET, d.secret());
    return new Offered(inferences, sm, plan, d);
  }

  /**
   * Party 1's side: asks for {@code inferences} of {@code batch} inputs each, receives the
   * architecture, checks it against {@code pin}, lets {@code accept} refuse it (e.g. its input is
   * outside the published range: throw {@link IllegalArgumentException}), compiles the plan and
   * answers with its hash.
   */
  static Joined join(
      NettyLink peer,
      int inferences,
      int batch,
      ArchitecturePin pin,
      SecureOptions options,
      Consumer<Architecture> accept) {
    // batch 1 keeps the one-element request every party 0 understands
    peer.send(
        TAG_SESSION_REQUEST, batch == 1 ? new long[] {inferences} : new long[] {inferences, batch});
    Architecture arch;
    try {
      arch = Architecture.decode(peer.receiveBytes(TAG_ARCHITECTURE));
    } catch (IllegalArgumentException e) {
      throw PeerError.MALFORMED.abort(
          peer,
          new IllegalStateException("party 0 sent a malformed architecture: " + e.getMessage(), e));
    }
    try {
      pin.check(arch);
    } catch (IllegalArgumentException e) {
      throw PeerError.ARCHITECTURE_REFUSED.abort(peer, e);
    }
    try {
      accept.accept(arch);
    } catch (IllegalArgumentException e) {
      throw PeerError.CLIENT_ENDED.abort(peer, e);
    }
    SecureModel sm = SecureModel.compile(arch.model(), batch, options);
    CorrelationPlan plan = sm.plan(inferences);
    peer.send(TAG_PLAN_HASH, plan.sha256());
    byte[] id = peer.receiveBytes(TAG_SESSION_ID);
    String named = new String(id, StandardCharsets.UTF_8);
    if (named.isBlank() || named.length() > MAX_SESSION_ID) {
      throw PeerError.MALFORMED.abort(
          peer,
          new IllegalStateException(
              "party 0 named an invalid dealer session id (" + named.length() + " chars)"));
    }
    byte[] secret = peer.receiveBytes(TAG_SESSION_SECRET);
    if (secret.length != SECRET_BYTES) {
      throw PeerError.MALFORMED.abort(
          peer,
          new IllegalStateException(
              "party 0 sent a session secret of " + secret.length + " bytes, not " + SECRET_BYTES));
    }
    return new Joined(arch, sm, plan, new Dealer(named, secret));
  }

  /**
   * Party 1's plan is not the one party 0 runs (another model, architecture, truncation or ReLU
   * mode).
   */
  static final class PlanMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PlanMismatchException(String message) {
      super(message);
    }
  }
}
