package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CircuitBuilderTest {

  /**
   * inputs x, y, c (1 bit); outputs x+y, x−y, x<y unsigned, x<y signed, c?y:x, x>>5, x>>>5, x<<7.
   */
  static Circuit wordOps(int w) {
    CircuitBuilder b = new CircuitBuilder("word-ops");
    int[] x = b.input(w);
    int[] y = b.input(w);
    int[] c = b.input(1);
    b.output(b.add(x, y));
    b.output(b.sub(x, y));
    b.output(b.lessThan(x, y));
    b.output(b.lessThanSigned(x, y));
    b.output(b.mux(c[0], x, y));
    b.output(CircuitBuilder.shiftRightArithmetic(x, 5));
    b.output(CircuitBuilder.shiftRightLogical(x, 5));
    b.output(CircuitBuilder.shiftLeft(x, 7));
    return b.build();
  }

  static long[] expected(long x, long y, long c) {
    return new long[] {
      x + y,
      x - y,
      Long.compareUnsigned(x, y) < 0 ? 1 : 0,
      x < y ? 1 : 0,
      c == 1 ? y : x,
      x >> 5,
      x >>> 5,
      x << 7
    };
  }

  static long[][] cases() {
    Random rnd = new Random(4);
    long[][] v = new long[300][];
    long[] special = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < v.length; i++) {
      long x = i < 25 ? special[i % 5] : rnd.nextLong() >> rnd.nextInt(64);
      long y = i < 25 ? special[i / 5] : rnd.nextLong() >> rnd.nextInt(64);
      v[i] = new long[] {x, y, rnd.nextInt(2)};
    }
    return v;
  }

  @Test
  void wordOpsMatchJavaArithmeticInPlainAndGarbledEvaluation() {
    Circuit c = wordOps(64);
    long[][] cs = cases();
    long[][][] in = new long[cs.length][][];
    for (int k = 0; k < cs.length; k++) {
      in[k] = new long[][] {{cs[k][0]}, {cs[k][1]}, {cs[k][2]}};
    }
    long[][][] garbled = GcTestSupport.garbleAndEvaluate(c, in, 64);
    for (int k = 0; k < cs.length; k++) {
      long[] want = expected(cs[k][0], cs[k][1], cs[k][2]);
      long[][] plain = c.evaluate(in[k]);
      for (int o = 0; o < want.length; o++) {
        assertEquals(want[o], plain[o][0], "plain output " + o + " case " + k);
        assertEquals(want[o], garbled[k][o][0], "garbled output " + o + " case " + k);
      }
    }
  }

  @Test
  void andGateCountsAreMinimal() {
    CircuitBuilder b = new CircuitBuilder("counts");
    int[] x = b.input(64);
    int[] y = b.input(64);
    b.output(b.add(x, y));
    assertEquals(63, b.build().andCount());
    b = new CircuitBuilder("counts");
    x = b.input(64);
    y = b.input(64);
    b.output(b.sub(x, y));
    assertEquals(63, b.build().andCount());
    b = new CircuitBuilder("counts");
    x = b.input(64);
    y = b.input(64);
    b.output(b.lessThan(x, y));
    assertEquals(64, b.build().andCount());
  }

  @Test
  void constantsFoldAndDeadGatesAreDropped() {
    CircuitBuilder b = new CircuitBuilder("fold");
    int[] x = b.input(8);
    int[] dead = b.add(x, x); // never output
    b.output(b.add(x, CircuitBuilder.constant(0, 8)));
    b.output(b.and(x, Circuit.ZERO));
    b.output(b.xor(x[0], Circuit.ONE));
    Circuit c = b.build();
    assertEquals(0, c.andCount());
    assertEquals(Circuit.ZERO, c.outputWire(8));
    assertEquals(8, dead.length);
    long[][] o = c.evaluate(new long[] {0xA5});
    assertEquals(0xA5, o[0][0]);
    assertEquals(0, o[1][0]);
    assertEquals(0, o[2][0]);
    // a constant output garbles too: the decoding bit carries it
    long[][][] g = GcTestSupport.garbleAndEvaluate(c, new long[][][] {{{0xA4}}}, 1);
    assertEquals(0xA4, g[0][0][0]);
    assertEquals(0, g[0][1][0]);
    assertEquals(1, g[0][2][0]);
  }

  @Test
  void misuseIsRefused() {
    CircuitBuilder b = new CircuitBuilder("bad");
    int[] x = b.input(4);
    b.xor(x[0], x[1]);
    assertThrows(IllegalStateException.class, () -> b.input(4));
    assertThrows(IllegalArgumentException.class, () -> b.xor(x[0], 999));
    assertThrows(IllegalArgumentException.class, () -> b.add(x, new int[3]));
    assertThrows(IllegalStateException.class, () -> new CircuitBuilder("empty").build());
  }
}
