package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code aes_128.txt}: input 0 is the key, input 1 the plaintext, output the ciphertext. Bit order,
 * found by plain evaluation: wire j of each 128-bit value is bit j of the value read as a
 * big-endian integer (wire 0 = least significant bit of byte 15), which is exactly {@link
 * Bits#fromHex} of the usual hex spelling.
 */
class BristolAesTest {
  static Circuit aes;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = BristolAesTest.class.getResourceAsStream("/circuits/aes_128.txt")) {
      assertNotNull(in, "test resource circuits/aes_128.txt is missing");
      aes = BristolReader.read(new InputStreamReader(in, StandardCharsets.US_ASCII), "aes_128.txt");
    }
  }

  static byte[] jdkAes(byte[] key, byte[] block) throws Exception {
    Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    return c.doFinal(block);
  }

  @Test
  void shapeMatchesTheFile() {
    assertEquals(2, aes.inputCount());
    assertEquals(128, aes.inputWidth(0));
    assertEquals(128, aes.inputWidth(1));
    assertEquals(128, aes.outputBits());
    assertEquals(6400, aes.andCount());
  }

  @Test
  void plainEvaluationIsFips197() {
    long[][] out =
        aes.evaluate(
            Bits.fromHex("000102030405060708090a0b0c0d0e0f", 128),
            Bits.fromHex("00112233445566778899aabbccddeeff", 128));
    assertEquals("69c4e0d86a7b0430d8cdb78070b4c55a", Bits.toHex(out[0], 128));
  }

  @Test
  void garbledEvaluationMatchesJdkAes() throws Exception {
    HexFormat hex = HexFormat.of();
    Random rnd = new Random(7);
    int n = 37; // the FIPS-197 vector plus random ones, over several chunks
    long[][][] in = new long[n][][];
    String[] expect = new String[n];
    for (int k = 0; k < n; k++) {
      byte[] key = new byte[16];
      byte[] pt = new byte[16];
      if (k == 0) {
        key = hex.parseHex("000102030405060708090a0b0c0d0e0f");
        pt = hex.parseHex("00112233445566778899aabbccddeeff");
      } else {
        rnd.nextBytes(key);
        rnd.nextBytes(pt);
      }
      in[k] =
          new long[][] {
            Bits.fromHex(hex.formatHex(key), 128), Bits.fromHex(hex.formatHex(pt), 128)
          };
      expect[k] = hex.formatHex(jdkAes(key, pt));
    }
    assertEquals("69c4e0d86a7b0430d8cdb78070b4c55a", expect[0]);
    long[][][] out = GcTestSupport.garbleAndEvaluate(aes, in, 16);
    for (int k = 0; k < n; k++) {
      assertEquals(expect[k], Bits.toHex(out[k][0], 128), "instance " + k);
    }
  }

  @Test
  void bitsliceAndWordEvaluationAgree() {
    Random rnd = new Random(3);
    long[] words = new long[256];
    for (int i = 0; i < 256; i++) {
      words[i] = rnd.nextLong();
    }
    long[] sliced = aes.evaluateBitsliced(words);
    for (int k : new int[] {0, 17, 63}) {
      long[] key = new long[2];
      long[] pt = new long[2];
      for (int j = 0; j < 128; j++) {
        key[j >>> 6] |= ((words[j] >>> k) & 1L) << (j & 63);
        pt[j >>> 6] |= ((words[128 + j] >>> k) & 1L) << (j & 63);
      }
      long[] expect = new long[2];
      for (int j = 0; j < 128; j++) {
        expect[j >>> 6] |= ((sliced[j] >>> k) & 1L) << (j & 63);
      }
      assertArrayEquals(expect, aes.evaluate(key, pt)[0]);
    }
  }
}
