package org.polyshare.core.prg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.polyshare.core.kernel.RingThreads;

class PrgTest {
  @Test
  void sameSeedSameStreamRegardlessOfChunking() {
    Seed seed = Seed.random();
    long[] whole = new Prg(seed).nextLongs(20_000);
    Prg pieces = new Prg(seed);
    long[] parts = new long[20_000];
    int off = 0;
    for (int len : new int[] {1, 7, 4095, 4096, 1, 11_800}) {
      pieces.fill(parts, off, len);
      off += len;
    }
    assertArrayEquals(whole, parts);
    assertFalse(Arrays.equals(whole, new Prg(Seed.random()).nextLongs(20_000)));
  }

  @Test
  void aSeekedStreamIsTheSameStreamFromThatLong() {
    Seed seed = Seed.random();
    long[] whole = new Prg(seed).nextLongs(40_000);
    // chunk boundaries (4096 longs), odd offsets inside a chunk and across a parallel-size fill
    for (int first : new int[] {0, 1, 3, 4095, 4096, 4097, 12_345, 39_999}) {
      Prg seeked = new Prg(seed, first);
      long[] tail = new long[whole.length - first];
      int half = tail.length / 2;
      seeked.fill(tail, 0, half);
      seeked.fill(tail, half, tail.length - half);
      assertArrayEquals(Arrays.copyOfRange(whole, first, whole.length), tail, "from " + first);
    }
    long[] big = new Prg(seed).nextLongs(1 << 20);
    long[] bigTail = new Prg(seed, 1000).nextLongs((1 << 20) - 1000); // threaded fill
    assertArrayEquals(Arrays.copyOfRange(big, 1000, big.length), bigTail);
  }

  @Test
  void firstBlockIsAesOfCounterZero() throws Exception {
    byte[] key = new byte[16];
    for (int i = 0; i < 16; i++) {
      key[i] = (byte) i;
    }
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    byte[] expect = ecb.doFinal(new byte[16]);
    byte[] got = new byte[16];
    new Prg(Seed.of(key)).nextBytes(got);
    assertArrayEquals(expect, got);
  }

  @Test
  void bitsAreBalanced() {
    long[] x = new Prg(Seed.random()).nextLongs(1 << 16);
    long ones = 0;
    for (long v : x) {
      ones += Long.bitCount(v);
    }
    double n = 64.0 * x.length;
    // Binomial(n, 1/2): 6.5 standard deviations (two-sided) is a false alarm once in ~10^10 runs.
    assertTrue(Math.abs(ones - n / 2) < 6.5 * Math.sqrt(n / 4), "ones = " + ones);
    assertEquals("Seed[redacted]", Seed.random().toString());
  }

  /** The keystream of AES-128-CTR from counter 0, as little-endian longs: the reference. */
  private static long[] ctrStream(byte[] key, int longs) throws Exception {
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
    ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    ByteBuffer bytes =
        ByteBuffer.wrap(ctr.doFinal(new byte[8 * longs])).order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[longs];
    bytes.asLongBuffer().get(out);
    return out;
  }

  @Test
  void aLargeFillSplitOverThreadsIsTheSameStreamAndLeavesTheSamePosition() throws Exception {
    byte[] key = new byte[16];
    Arrays.fill(key, (byte) 0x5a);
    int big = 3 * 32 * 4096 + 4096 + 777; // 3 blocks of 32 chunks and a ragged tail at 3 threads
    long[] expect = ctrStream(key, 4096 + big + 1);
    for (int prefix : new int[] {0, 3, 4096 - 2, 4096, 5}) {
      for (int t = 1; t <= 3; t++) {
        try (RingThreads pool = new RingThreads(t)) {
          Prg prg = new Prg(Seed.of(key));
          long[] head = new long[prefix];
          prg.fill(pool, head, 0, prefix);
          long[] bulk = new long[big + 2];
          prg.fill(pool, bulk, 1, big);
          long after = prg.nextLong();
          long[] want = Arrays.copyOfRange(expect, prefix, prefix + big);
          assertArrayEquals(
              Arrays.copyOfRange(expect, 0, prefix),
              head,
              "prefix " + prefix + " at " + t + " threads");
          assertArrayEquals(
              want,
              Arrays.copyOfRange(bulk, 1, 1 + big),
              "bulk after " + prefix + " at " + t + " threads");
          assertEquals(0L, bulk[0] | bulk[big + 1], "fill wrote outside its range");
          assertEquals(
              expect[prefix + big],
              after,
              "the stream after the bulk, prefix " + prefix + ", " + t + " threads");
        }
      }
    }
  }
}
