package org.polyshare.core.prg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 in counter mode keyed by a {@link Seed}: the keystream is the pseudorandom output.
 *
 * <p>The JDK's {@code AES/CTR/NoPadding} runs on AES-NI when given large buffers, so output is
 * produced in chunks of {@value #CHUNK_BYTES} bytes and unpacked to {@code long}s little-endian.
 * Two PRGs from the same seed produce the same stream; that is what seed compression relies on.
 * Not thread-safe.
 */
public final class Prg {
  private static final int CHUNK_BYTES = 1 << 15;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final Cipher cipher;
  private final byte[] zeros = new byte[CHUNK_BYTES];
  private final byte[] buf = new byte[CHUNK_BYTES];
  private int pos = CHUNK_BYTES;

  public Prg(Seed seed) {
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(seed.bytes(), "AES"),
          new IvParameterSpec(new byte[16]));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is not available in this JDK", e);
    }
  }

  private void refill() {
    try {
      cipher.update(zeros, 0, CHUNK_BYTES, buf, 0);
    } catch (ShortBufferException e) {
      throw new AssertionError(e);
    }
    pos = 0;
  }

  /** Fills {@code out[off, off+len)} with uniform ring elements. */
  public void fill(long[] out, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (pos == CHUNK_BYTES) {
        refill();
      }
      int n = Math.min(end - i, (CHUNK_BYTES - pos) >>> 3);
      for (int k = 0; k < n; k++) {
        out[i + k] = (long) LONGS.get(buf, pos + (k << 3));
      }
      i += n;
      pos += n << 3;
    }
  }

  public void fill(long[] out) {
    fill(out, 0, out.length);
  }

  public long[] nextLongs(int n) {
    long[] out = new long[n];
    fill(out, 0, n);
    return out;
  }

  public long nextLong() {
    if (pos == CHUNK_BYTES) {
      refill();
    }
    long v = (long) LONGS.get(buf, pos);
    pos += 8;
    return v;
  }

  /** Fills {@code out} with pseudorandom bytes. */
  public void nextBytes(byte[] out) {
    int i = 0;
    while (i < out.length) {
      if (pos == CHUNK_BYTES) {
        refill();
      }
      // Keep pos 8-aligned so that later long reads stay aligned to the stream's 8-byte words.
      int avail = CHUNK_BYTES - pos;
      int n = Math.min(out.length - i, avail);
      System.arraycopy(buf, pos, out, i, n);
      i += n;
      pos += (n + 7) & ~7;
      if (pos > CHUNK_BYTES) {
        pos = CHUNK_BYTES;
      }
    }
  }
}
