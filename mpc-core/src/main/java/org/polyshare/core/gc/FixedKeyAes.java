package org.polyshare.core.gc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The fixed public permutation π = AES-128 under a constant key, applied to many blocks per call.
 *
 * <p>One {@code AES/ECB/NoPadding} cipher is initialised once (key schedule computed once) and
 * reused. HotSpot's ECB path runs AES-NI/VAES at ~10^9 blocks/s on calls of a few hundred blocks,
 * but ~35·10^6 blocks/s at one block per call, so callers batch: one call per gate across all
 * instances. Blocks are read and written as little-endian longs through {@link #LONGS}: block
 * {@code i}'s low word at byte {@code 16i}, high word at {@code 16i + 8}.
 */
final class FixedKeyAes {
  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Public and constant: the hash's security rests on π being a random-looking permutation. */
  private static final byte[] KEY = "PolyShare GC key".getBytes(StandardCharsets.US_ASCII);

  private final Cipher cipher;

  FixedKeyAes() {
    try {
      cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB/NoPadding is not available in this JDK", e);
    }
  }

  /** {@code out[0, 16·blocks) = π(in[0, 16·blocks))}, block by block; in and out must differ. */
  void permute(byte[] in, byte[] out, int blocks) {
    try {
      int done = cipher.update(in, 0, blocks << 4, out, 0);
      if (done != blocks << 4) {
        throw new IllegalStateException("AES/ECB returned " + done + " of " + (blocks << 4) + " bytes");
      }
    } catch (ShortBufferException e) {
      throw new AssertionError(e);
    }
  }
}
