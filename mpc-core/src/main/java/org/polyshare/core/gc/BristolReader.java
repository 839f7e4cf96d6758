package org.polyshare.core.gc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a circuit in <em>Bristol Fashion</em>.
 *
 * <pre>
 *   G W                      gates, wires
 *   niv w_1 ... w_niv        input count and widths
 *   nov w_1 ... w_nov        output count and widths
 *   (blank)
 *   2 1 a b c XOR|AND        c = a ⊕ b, c = a ∧ b
 *   1 1 a c INV              c = ¬a
 *   1 1 a c EQW              c = a (copy)
 *   1 1 v c EQ               c = constant v ∈ {0, 1}
 *   2k k a_1..a_k b_1..b_k c_1..c_k MAND   k ANDs c_i = a_i ∧ b_i
 * </pre>
 *
 * Input {@code i} occupies the next {@code w_i} wires from wire 0; the outputs are the last wires
 * of the circuit, output after output. Bit order: the reader keeps the file's wire order, so bit
 * {@code j} of an input or output in the resulting {@link Circuit} is the file's {@code j}-th wire
 * of it; {@link Circuit} calls that the bit of weight 2^j. Whether the file means wire 0 as the
 * least or the most significant bit is the file's convention (for {@code aes_128.txt}: see {@code
 * BristolAesTest}). Constants and copies are folded through {@link CircuitBuilder}.
 *
 * <p>Any malformed line gives an {@link IllegalArgumentException} naming the source, the line
 * number and the problem.
 */
public final class BristolReader {
  private static final int UNDEFINED = Integer.MIN_VALUE;

  private BristolReader() {}

  public static Circuit read(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      return read(r, file.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Bristol circuit " + file, e);
    }
  }

  public static Circuit parse(String text, String name) {
    try {
      return read(new StringReader(text), name);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public static Circuit read(Reader in, String name) throws IOException {
    LineSource src = new LineSource(new BufferedReader(in), name);
    long[] header = src.numbersOfNextLine("header 'gates wires'");
    if (header.length != 2) {
      throw src.error("header must be 'gates wires', got " + header.length + " numbers");
    }
    int numGates = src.toInt(header[0], "gate count");
    int numWires = src.toInt(header[1], "wire count");
    int[] inWidths = src.widths(src.numbersOfNextLine("input line 'count widths...'"), "input");
    int[] outWidths = src.widths(src.numbersOfNextLine("output line 'count widths...'"), "output");
    int inBits = Arrays.stream(inWidths).sum();
    int outBits = Arrays.stream(outWidths).sum();
    if (inBits + outBits > numWires) {
      throw src.error(
          inBits + " input and " + outBits + " output bits do not fit in " + numWires + " wires");
    }

    CircuitBuilder b = new CircuitBuilder(name);
    int[] map = new int[numWires];
    Arrays.fill(map, UNDEFINED);
    int w = 0;
    for (int width : inWidths) {
      int[] ws = b.input(width);
      for (int x : ws) {
        map[w++] = x;
      }
    }

    int gates = 0;
    String line;
    while ((line = src.nextNonBlank()) != null) {
      gates++;
      if (gates > numGates) {
        throw src.error("more gates than the " + numGates + " the header declares");
      }
      String[] t = line.trim().split("\\s+");
      String op = t[t.length - 1];
      if (t.length < 4) {
        throw src.error("a gate needs 'nin nout wires... OP', got '" + line.trim() + "'");
      }
      int nin = src.parseInt(t[0], "input count");
      int nout = src.parseInt(t[1], "output count");
      if (t.length != 2 + nin + nout + 1) {
        throw src.error(
            "gate declares "
                + nin
                + " inputs and "
                + nout
                + " outputs but lists "
                + (t.length - 3)
                + " wires");
      }
      switch (op) {
        case "XOR", "AND" -> {
          src.expectArity(nin, nout, 2, 1, op);
          int a = src.read(map, t[2]);
          int c = src.read(map, t[3]);
          int r = op.equals("XOR") ? b.xor(a, c) : b.and(a, c);
          src.define(map, t[4], r);
        }
        case "INV", "NOT" -> {
          src.expectArity(nin, nout, 1, 1, op);
          src.define(map, t[3], b.not(src.read(map, t[2])));
        }
        case "EQW" -> {
          src.expectArity(nin, nout, 1, 1, op);
          src.define(map, t[3], src.read(map, t[2]));
        }
        case "EQ" -> {
          src.expectArity(nin, nout, 1, 1, op);
          int v = src.parseInt(t[2], "constant");
          if (v != 0 && v != 1) {
            throw src.error("EQ assigns a constant 0 or 1, got " + v);
          }
          src.define(map, t[3], v == 1 ? Circuit.ONE : Circuit.ZERO);
        }
        case "MAND" -> {
          if (nout < 1 || nin != 2 * nout) {
            throw src.error("MAND with k outputs takes 2k inputs, got " + nin + " and " + nout);
          }
          for (int i = 0; i < nout; i++) {
            int r = b.and(src.read(map, t[2 + i]), src.read(map, t[2 + nout + i]));
            src.define(map, t[2 + nin + i], r);
          }
        }
        default ->
            throw src.error(
                "unsupported gate '" + op + "' (supported: XOR, AND, INV, EQW, EQ, MAND)");
      }
    }
    if (gates != numGates) {
      throw src.error("header declares " + numGates + " gates but the file has " + gates);
    }
    int first = numWires - outBits;
    int q = first;
    for (int width : outWidths) {
      int[] o = new int[width];
      for (int j = 0; j < width; j++, q++) {
        if (map[q] == UNDEFINED) {
          throw src.error("output wire " + q + " is never assigned by any gate");
        }
        o[j] = map[q];
      }
      b.output(o);
    }
    return b.build();
  }

  /** Line reading with line numbers for error messages. */
  private static final class LineSource {
    private final BufferedReader in;
    private final String name;
    private int lineNo;

    LineSource(BufferedReader in, String name) {
      this.in = in;
      this.name = name;
    }

    String nextNonBlank() throws IOException {
      String l;
      while ((l = in.readLine()) != null) {
        lineNo++;
        if (!l.isBlank()) {
          return l;
        }
      }
      return null;
    }

    long[] numbersOfNextLine(String what) throws IOException {
      String l = nextNonBlank();
      if (l == null) {
        throw error("file ends before the " + what);
      }
      String[] t = l.trim().split("\\s+");
      long[] v = new long[t.length];
      for (int i = 0; i < t.length; i++) {
        try {
          v[i] = Long.parseLong(t[i]);
        } catch (NumberFormatException e) {
          throw error("expected the " + what + ", got '" + l.trim() + "'");
        }
      }
      return v;
    }

    int[] widths(long[] v, String what) {
      if (v.length == 0 || v[0] != v.length - 1) {
        throw error(
            what + " line must be 'count width_1 ... width_count', got " + Arrays.toString(v));
      }
      int[] w = new int[v.length - 1];
      for (int i = 0; i < w.length; i++) {
        w[i] = toInt(v[i + 1], what + " width");
        if (w[i] <= 0) {
          throw error(what + " " + i + " has width " + w[i]);
        }
      }
      return w;
    }

    int toInt(long v, String what) {
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw error(what + " " + v + " is out of range");
      }
      return (int) v;
    }

    int parseInt(String s, String what) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw error("expected a number for the " + what + ", got '" + s + "'");
      }
    }

    void expectArity(int nin, int nout, int wantIn, int wantOut, String op) {
      if (nin != wantIn || nout != wantOut) {
        throw error(
            op
                + " takes "
                + wantIn
                + " input(s) and "
                + wantOut
                + " output(s), got "
                + nin
                + " and "
                + nout);
      }
    }

    int read(int[] map, String tok) {
      int w = parseInt(tok, "wire");
      if (w < 0 || w >= map.length) {
        throw error("wire " + w + " is outside [0, " + map.length + ")");
      }
      if (map[w] == UNDEFINED) {
        throw error("gate reads wire " + w + " before it is assigned");
      }
      return map[w];
    }

    void define(int[] map, String tok, int value) {
      int w = parseInt(tok, "wire");
      if (w < 0 || w >= map.length) {
        throw error("wire " + w + " is outside [0, " + map.length + ")");
      }
      if (map[w] != UNDEFINED) {
        throw error("wire " + w + " is assigned twice");
      }
      map[w] = value;
    }

    IllegalArgumentException error(String msg) {
      return new IllegalArgumentException(
          "Bristol circuit " + name + ", line " + lineNo + ": " + msg);
    }
  }
}
