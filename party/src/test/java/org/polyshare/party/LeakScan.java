package org.polyshare.party;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.polyshare.core.ring.FixedPoint;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Model;

/**
 * The secret values of one run, in the forms a careless log line would print them, and a scan of
 * log lines for them. Long, distinctive forms (hex and Base64 seeds, PEM key lines, full {@code
 * Double.toString} digits) are searched as substrings; short numbers only as whole tokens, and
 * encoded ring values only beyond 2^17, so that ports, counts and timings in ordinary lines cannot
 * match by chance.
 */
final class LeakScan {
  private static final Pattern TOKEN = Pattern.compile("[-+]?[0-9][0-9.eE+-]*");
  private static final long SMALLEST_ENCODED = 1L << 17;

  private final Map<String, String> substrings = new HashMap<>();
  private final Map<String, String> tokens = new HashMap<>();

  /** A seed's bytes in every form {@link #bytes} searches. */
  LeakScan seed(byte[] b) {
    return bytes("seed", b);
  }

  /** A per-session dealer secret's bytes in every form {@link #bytes} searches. */
  LeakScan sessionSecret(byte[] b) {
    return bytes("session secret", b);
  }

  /**
   * Secret bytes as hex (both cases), Base64 (standard, URL-safe, either with or without padding),
   * Arrays.toString, and their 64-bit words as decimal and hex.
   */
  private LeakScan bytes(String kind, byte[] b) {
    String what = kind + " " + HexFormat.of().formatHex(b, 0, 2) + "…";
    substrings.put(HexFormat.of().formatHex(b), what);
    substrings.put(HexFormat.of().withUpperCase().formatHex(b), what);
    for (Base64.Encoder e : new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
      substrings.put(e.withoutPadding().encodeToString(b), what);
    }
    substrings.put(Arrays.toString(b), what);
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      ByteBuffer buf = ByteBuffer.wrap(b).order(order);
      while (buf.remaining() >= 8) {
        long half = buf.getLong();
        tokens.put(Long.toString(half), what);
        substrings.put(Long.toHexString(half), what);
      }
    }
    return this;
  }

  /** Real values (weights, inputs, activations) as decimals and as ring elements at {@code fp}. */
  LeakScan values(String what, double[] v, FixedPoint fp) {
    for (int i = 0; i < v.length; i++) {
      double x = v[i];
      String label = what + "[" + i + "] = " + x;
      String full = Double.toString(x);
      if (full.length() >= 10) {
        substrings.put(full, label);
        substrings.put(Float.toString((float) x), label);
      }
      if (Math.abs(x) >= 1e-3) {
        tokens.put(String.format(Locale.ROOT, "%.4f", x), label);
        tokens.put(String.format(Locale.ROOT, "%.6f", x), label);
      }
      long enc = fp.encode(x);
      if (Math.abs(enc) >= SMALLEST_ENCODED) {
        tokens.put(Long.toString(enc), label);
      }
    }
    return this;
  }

  /** Every parameter array of every layer (records, searched through nested layer records). */
  LeakScan weights(Model m) {
    for (Layer l : m.layers()) {
      parameters(l.name(), l, m.fixedPoint());
    }
    return this;
  }

  private void parameters(String where, Object record, FixedPoint fp) {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object v;
      try {
        v = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (v instanceof double[] a) {
        values("weight " + where + "." + c.getName(), a, fp);
      } else if (v != null && v.getClass().isRecord()) {
        parameters(where + "." + c.getName(), v, fp);
      }
    }
  }

  /** The Base64 lines of a PEM private key (each one alone would be a leak). */
  LeakScan privateKey(Path pem) {
    try {
      for (String line : Files.readAllLines(pem)) {
        if (!line.startsWith("-----") && line.length() >= 16) {
          substrings.put(line, "private key " + pem.getFileName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  int size() {
    return substrings.size() + tokens.size();
  }

  /** Each finding as "what: line". */
  List<String> findings(List<String> lines) {
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      // a JSON log line writes '/' as "\/": a Base64 secret holding '/' must still be found
      String plain = line.replace("\\/", "/");
      for (Map.Entry<String, String> s : substrings.entrySet()) {
        if (plain.contains(s.getKey())) {
          found.add(s.getValue() + ": " + line.strip());
        }
      }
      Matcher m = TOKEN.matcher(line);
      while (m.find()) {
        String what = tokens.get(trimmed(m.group()));
        if (what != null) {
          found.add(what + ": " + line.strip());
        }
      }
    }
    return found;
  }

  /** A token without the sentence's trailing dot. */
  private static String trimmed(String t) {
    return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
  }
}
