package org.polyshare.core.prg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.polyshare.core.kernel.RingThreads;

/**
 * AES-128 in counter mode keyed by a {@link Seed}: the keystream is the pseudorandom output.
 *
 * <p>The JDK's {@code AES/CTR/NoPadding} runs on AES-NI when given large buffers, so output is
 * produced in chunks of {@value #CHUNK_BYTES} bytes and unpacked to {@code long}s little-endian.
 * Two PRGs from the same seed produce the same stream; that is what seed compression relies on. A
 * large {@link #fill} is split over the kernel pool: counter mode is seekable, so each block of
 * whole chunks runs its own cipher started at that chunk's counter, and the stream is the same
 * bytes in the same order at every thread count. Not thread-safe.
 */
public final class Prg {
  private static final int CHUNK_BYTES = 1 << 15;
  private static final int CHUNK_LONGS = CHUNK_BYTES >>> 3;

  /** Chunks per parallel block (1 MiB of keystream): below that a fill runs on the caller. */
  private static final int BLOCK_CHUNKS = 32;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final SecretKeySpec key;
  private Cipher cipher;

  /**
   * Keystream bytes the cipher has produced so far: a multiple of the chunk, hence of the AES
   * block.
   */
  private long produced;

  private final byte[] zeros = new byte[CHUNK_BYTES];
  private final byte[] buf = new byte[CHUNK_BYTES];
  private int pos = CHUNK_BYTES;

  public Prg(Seed seed) {
    key = new SecretKeySpec(seed.bytes(), "AES");
    cipher = cipherAt(key, 0);
  }

  /**
   * The stream of {@code seed} from its long number {@code firstLong} on: the same longs that
   * {@code new Prg(seed)} yields after skipping {@code firstLong}, without producing them (counter
   * mode is seekable). Lets a consumer read a large seed-expanded batch block by block, in any
   * order, instead of expanding it whole.
   */
  public Prg(Seed seed, long firstLong) {
    if (firstLong < 0) {
      throw new IllegalArgumentException("stream position must be non-negative, got " + firstLong);
    }
    key = new SecretKeySpec(seed.bytes(), "AES");
    long start = 8 * firstLong;
    long chunkStart = start - start % CHUNK_BYTES;
    cipher = cipherAt(key, chunkStart);
    produced = chunkStart;
    if (start != chunkStart) {
      refill();
      pos = (int) (start - chunkStart);
    }
  }

  /**
   * AES-CTR from keystream byte {@code offset} (a multiple of 16): the counter is the block index.
   */
  private static Cipher cipherAt(SecretKeySpec key, long offset) {
    byte[] iv = new byte[16];
    long block = offset >>> 4;
    for (int i = 0; i < 8; i++) {
      iv[15 - i] =
          (byte) (block >>> (8 * i)); // big-endian 128-bit counter, as the JDK increments it
    }
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      return c;
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
    produced += CHUNK_BYTES;
    pos = 0;
  }

  /** Fills {@code out[off, off+len)} with uniform ring elements. */
  public void fill(long[] out, int off, int len) {
    fill(RingThreads.shared(), out, off, len);
  }

  /**
   * {@link #fill} over {@code pool}: the rest of the current chunk on the caller, then whole chunks
   * in blocks of {@value #BLOCK_CHUNKS}, each with its own cipher at its counter, then the main
   * cipher moved past them and the tail on the caller.
   */
  void fill(RingThreads pool, long[] out, int off, int len) {
    int head = Math.min(len, (CHUNK_BYTES - pos) >>> 3);
    int chunks = (len - head) / CHUNK_LONGS;
    if (pool.blocks(chunks, BLOCK_CHUNKS) <= 1) {
      fillSerial(out, off, len);
      return;
    }
    fillSerial(out, off, head);
    int bulk = off + head;
    long base = produced;
    pool.forEachBlock(
        chunks,
        BLOCK_CHUNKS,
        (c0, c1) -> {
          Cipher c = cipherAt(key, base + (long) c0 * CHUNK_BYTES);
          byte[] zero = new byte[CHUNK_BYTES];
          byte[] stream = new byte[CHUNK_BYTES];
          for (int ch = c0; ch < c1; ch++) {
            try {
              c.update(zero, 0, CHUNK_BYTES, stream, 0);
            } catch (ShortBufferException e) {
              throw new AssertionError(e);
            }
            int o = bulk + ch * CHUNK_LONGS;
            for (int k = 0; k < CHUNK_LONGS; k++) {
              out[o + k] = (long) LONGS.get(stream, k << 3);
            }
          }
        });
    produced = base + (long) chunks * CHUNK_BYTES;
    cipher = cipherAt(key, produced);
    pos = CHUNK_BYTES;
    fillSerial(out, bulk + chunks * CHUNK_LONGS, len - head - chunks * CHUNK_LONGS);
  }

  private void fillSerial(long[] out, int off, int len) {
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
