package org.polyshare.core.fss;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The DCF tree's length-tripling PRG, {@code G(s) = (s_L, t_L, s_R, t_R, v_L, v_R)}, from one fixed
 * public AES-128 permutation π in Matyas–Meyer–Oseas form: block {@code j ∈ {0, 1, 2}} of
 * {@code G(s)} is {@code π(s ⊕ j) ⊕ (s ⊕ j)}, the correlation-robust hash of the tweaked seed (Guo,
 * Katz, Wang, Yu, S&P 2020). A node seed is 127 bits: the low bit of its low word is always 0, so the
 * three inputs {@code s, s ⊕ 1, s ⊕ 2} are distinct. Block 0 is the left child (its low bit is
 * {@code t_L}, the rest {@code s_L}), block 1 the right child, block 2 the two 64-bit values
 * {@code v_L} (low word) and {@code v_R} (high word).
 *
 * <p>One {@link #expand} call expands a whole level of a batch in ONE cipher call of {@code 3·count}
 * blocks: HotSpot's AES-NI path is ~30x faster on large calls than on one block per call. Blocks
 * are little-endian: low word at byte {@code 16i}, high word at {@code 16i + 8}. Not thread-safe.
 */
final class TreePrg {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Public and constant (a different constant from the garbling hash: domain separation). */
  private static final byte[] KEY = "PolyShare DCF pi".getBytes(StandardCharsets.US_ASCII);

  private final Cipher cipher;
  private byte[] in = new byte[0];
  private byte[] out = new byte[0];
  /** AES calls made so far (one per {@link #expand}); tests and reports read it. */
  private long cipherCalls;

  TreePrg() {
    try {
      cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB/NoPadding is not available in this JDK", e);
    }
  }

  /**
   * Expands seeds {@code (lo[k], hi[k])}, {@code k < count} (low bit of {@code lo[k]} zero), in one
   * cipher call. Child {@code c ∈ {0 = L, 1 = R}} of seed k lands at index {@code 2k + c}:
   * {@code childLo} (with {@code t_c} in its low bit), {@code childHi}, and {@code v} holds
   * {@code v_c}.
   */
  void expand(long[] lo, long[] hi, int count, long[] childLo, long[] childHi, long[] v) {
    int bytes = count * 48;
    if (in.length < bytes) {
      in = new byte[bytes];
      out = new byte[bytes];
    }
    for (int k = 0, p = 0; k < count; k++, p += 48) {
      long l = lo[k];
      long h = hi[k];
      LONGS.set(in, p, l);
      LONGS.set(in, p + 8, h);
      LONGS.set(in, p + 16, l ^ 1L);
      LONGS.set(in, p + 24, h);
      LONGS.set(in, p + 32, l ^ 2L);
      LONGS.set(in, p + 40, h);
    }
    try {
      int done = cipher.update(in, 0, bytes, out, 0);
      if (done != bytes) {
        throw new IllegalStateException("AES/ECB returned " + done + " of " + bytes + " bytes");
      }
    } catch (ShortBufferException e) {
      throw new AssertionError(e);
    }
    cipherCalls++;
    for (int k = 0, p = 0; k < count; k++, p += 48) {
      long l = lo[k];
      long h = hi[k];
      childLo[2 * k] = (long) LONGS.get(out, p) ^ l;
      childHi[2 * k] = (long) LONGS.get(out, p + 8) ^ h;
      childLo[2 * k + 1] = (long) LONGS.get(out, p + 16) ^ l ^ 1L;
      childHi[2 * k + 1] = (long) LONGS.get(out, p + 24) ^ h;
      v[2 * k] = (long) LONGS.get(out, p + 32) ^ l ^ 2L;
      v[2 * k + 1] = (long) LONGS.get(out, p + 40) ^ h;
    }
  }

  long cipherCalls() {
    return cipherCalls;
  }
}
