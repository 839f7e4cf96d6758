package org.polyshare.core.prg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * A fixed public permutation π = AES-128 under a constant key, applied to many blocks per call: the
 * garbling hash ({@code gc}) and the DCF tree's PRG ({@code fss}) each use one, under different
 * keys (domain separation).
 *
 * <p>One {@code AES/ECB/NoPadding} cipher is initialised once (key schedule computed once) and
 * reused. HotSpot's ECB path runs AES-NI/VAES at ~10^9 blocks/s on calls of a few hundred blocks,
 * but ~35·10^6 blocks/s at one block per call, so callers batch: one call per gate across all
 * instances or one per tree level across a batch. Blocks are read and written as little-endian
 * longs through {@link #LONGS}: block {@code i}'s low word at byte {@code 16i}, high word at {@code
 * 16i + 8}.
 */
public final class FixedKeyAes {
  public static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Cipher cipher;

  /**
   * @param key 16 public constant bytes: security rests on π being a random-looking permutation
   */
  public FixedKeyAes(byte[] key) {
    try {
      cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB/NoPadding is not available in this JDK", e);
    }
  }

  /** {@code out[0, 16·blocks) = π(in[0, 16·blocks))}, block by block; in and out must differ. */
  public void permute(byte[] in, byte[] out, int blocks) {
    try {
      int done = cipher.update(in, 0, blocks << 4, out, 0);
      if (done != blocks << 4) {
        throw new IllegalStateException(
            "AES/ECB returned " + done + " of " + (blocks << 4) + " bytes");
      }
    } catch (ShortBufferException e) {
      throw new AssertionError(e);
    }
  }
}
