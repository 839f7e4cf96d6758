package org.polyshare.core.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BristolReaderTest {
  @Test
  void readsAllGateKinds() {
    // 2-bit inputs a, b; outputs (wires 12..16): [(a0∧b0)⊕a1, ¬b1], [1], [a0⊕(a0∧b0), a1∧b1]
    String text =
        String.join(
            "\n",
            "11 17",
            "2 2 2",
            "3 2 1 2",
            "",
            "2 1 0 2 4 AND",
            "2 1 4 1 5 XOR",
            "1 1 3 6 INV",
            "1 1 1 7 EQ",
            "1 1 0 8 EQW",
            "4 2 0 1 2 3 9 10 MAND",
            "1 1 5 12 EQW",
            "1 1 6 13 EQW",
            "1 1 7 14 EQW",
            "2 1 8 9 15 XOR",
            "1 1 10 16 EQW",
            "");
    Circuit c = BristolReader.parse(text, "small");
    assertEquals(2, c.inputCount());
    assertEquals(3, c.outputCount());
    assertEquals(5, c.outputBits());
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        long[][] o = c.evaluate(new long[] {a}, new long[] {b});
        int a0 = a & 1;
        int a1 = a >> 1;
        int b0 = b & 1;
        int b1 = b >> 1;
        long first = ((a0 & b0) ^ a1) | ((long) (1 - b1) << 1);
        assertEquals(first, o[0][0]);
        assertEquals(1, o[1][0]);
        long mand0 = a0 & b0; // wire 9 = a0 ∧ b0, wire 10 = a1 ∧ b1
        long second = (a0 ^ mand0) | ((long) (a1 & b1) << 1);
        assertEquals(second, o[2][0]);
      }
    }
  }

  /** {@code text} is refused with a message holding every fragment. */
  private static void assertRefused(String text, String... fragments) {
    String m =
        assertThrows(IllegalArgumentException.class, () -> BristolReader.parse(text, "bad.txt"))
            .getMessage();
    for (String f : fragments) {
      assertTrue(m.contains(f), "lacks '" + f + "': " + m);
    }
  }

  @Test
  void malformedFilesNameTheLine() {
    String ok = "1 3\n1 2\n1 1\n\n2 1 0 1 2 AND\n";
    assertEquals(1, BristolReader.parse(ok, "ok").andCount());
    assertRefused("", "file ends before the header");
    assertRefused("1 x\n", "line 1");
    assertRefused("1 3\n2 2\n1 1\n", "line 2"); // input count vs widths
    assertRefused("1 3\n1 2\n1 1\n\n2 1 0 7 2 AND\n", "bad.txt", "line 5", "wire 7");
    assertRefused("1 3\n1 2\n1 1\n\n2 1 0 1 2 NAND\n", "line 5", "unsupported gate 'NAND'");
    assertRefused("1 3\n1 2\n1 1\n\n2 1 0 1 AND\n", "line 5");
    assertRefused("2 4\n1 2\n1 1\n\n2 1 0 1 3 AND\n", "declares 2 gates but the file has 1");
    assertRefused("1 4\n1 2\n1 1\n\n2 1 0 1 2 AND\n", "output wire 3 is never assigned");
    assertRefused("2 3\n1 2\n1 1\n\n2 1 0 1 2 AND\n2 1 0 1 2 XOR\n", "line 6", "assigned twice");
    assertRefused("1 3\n1 2\n1 1\n\n2 1 0 2 2 XOR\n", "before it is assigned");
    assertRefused("1 3\n1 2\n1 1\n\n1 1 2 2 EQ\n", "constant 0 or 1");
  }
}
