package org.polyshare.models.arch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.GlobalAvgPool;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyAct;
import org.polyshare.models.graph.PolyKerv;
import org.polyshare.models.graph.PoolWindow;
import org.polyshare.models.graph.Relu;
import org.polyshare.models.graph.Softmax;

/**
 * The public part of a model — what both parties may know: layer kinds, names and wiring, shapes,
 * strides, pads, PolyKerv degrees, the fixed-point precision and the calibrated {@link InputRange}.
 * No weights, biases, {@code cp}, BatchNorm parameters or {@code eps}: those are party 0's secret.
 * Party 0 sends it to party 1 at session start; party 1 compiles its plan from {@link #model()}, a
 * {@link Model} whose parameterised layers hold <em>no</em> arrays.
 *
 * <p>Canonical encoding (what {@link #sha256()} hashes, and the architecture-only file): UTF-8
 * text, one item a line, {@code \n} after each, single spaces, no other whitespace:
 *
 * <pre>
 * polyshare-architecture 1
 * model NAME
 * input D1 D2 ...
 * frac-bits F
 * input-range LO HI                      (Double.toHexString, exact)
 * Conv2d NAME INPUT in=C out=O kernel=KHxKW stride=S pad=P
 * PolyKerv NAME INPUT in=C out=O kernel=KHxKW stride=S pad=P degree=D
 * Linear NAME INPUT in=I out=O
 * BatchNorm NAME INPUT channels=C
 * AvgPool|MaxPool NAME INPUT kernel=K stride=S
 * GlobalAvgPool|Flatten|Relu NAME INPUT
 * Add NAME LEFT RIGHT
 * </pre>
 *
 * Names keep printable ASCII except {@code %}; other bytes are {@code %XX} (UTF-8, upper-case hex).
 * {@link #decode} accepts exactly the bytes {@link #encode} would write for what it parsed, so
 * equal architectures have equal bytes and hashes.
 */
public final class Architecture {
  /** First line of the encoding, and of an architecture-only file. */
  public static final String MAGIC = "polyshare-architecture 1";

  /** Largest encoding accepted from a peer or a file. */
  public static final int MAX_BYTES = 4 << 20;

  private final Model model;
  private final InputRange range;
  private final byte[] encoding;

  private Architecture(Model model, InputRange range, byte[] encoding) {
    this.model = model;
    this.range = range;
    this.encoding = encoding;
  }

  /**
   * The architecture of {@code model} (with or without weights), with its calibrated input range.
   */
  public static Architecture of(Model model) {
    return of(model, InputRange.calibrated(model));
  }

  public static Architecture of(Model model, InputRange range) {
    Model shapes = stripped(model);
    return new Architecture(shapes, range, encode(shapes, range));
  }

  /** The weightless model: parameterised layers hold no arrays. */
  public Model model() {
    return model;
  }

  public InputRange inputRange() {
    return range;
  }

  /** The canonical encoding (a copy). */
  public byte[] encode() {
    return encoding.clone();
  }

  public byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(encoding);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256());
  }

  /** Whether no layer of {@code m} carries a parameter array. */
  public static boolean holdsNoWeights(Model m) {
    for (Layer l : m.layers()) {
      if (l instanceof Conv2d c && c.hasWeights()
          || l instanceof Linear lin && lin.hasWeights()
          || l instanceof PolyKerv p && (p.hasWeights() || p.cp() != null)
          || l instanceof BatchNorm bn && bn.hasWeights()
          || l instanceof PolyAct a && !isStandIn(a)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code head} (a file's first bytes) starts like an architecture-only file. */
  public static boolean looksLikeArchitecture(byte[] head) {
    byte[] magic = (MAGIC + "\n").getBytes(StandardCharsets.US_ASCII);
    return head.length >= magic.length
        && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }

  public void write(Path file) throws IOException {
    Files.write(file, encoding);
  }

  /** Reads an architecture-only file (as written by {@code models export --architecture-only}). */
  public static Architecture read(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(
            file + " is larger than an architecture file may be (" + MAX_BYTES + " bytes)");
      }
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read architecture file " + file + ": " + e.getMessage(), e);
    }
  }

  // ---- encoding ---------------------------------------------------------------------------------

  private static Model stripped(Model m) {
    List<Layer> out = new ArrayList<>();
    for (Layer l : m.layers()) {
      out.add(strip(l));
    }
    return Model.of(m.name(), m.inputShape(), m.fracBits(), out);
  }

  private static Layer strip(Layer l) {
    if (l instanceof Conv2d c) {
      return c.shapeOnly(c.name(), c.input());
    } else if (l instanceof PolyKerv p) {
      return new PolyKerv(
          p.name(), p.input(), p.conv().shapeOnly(p.name(), p.input()), null, p.dp());
    } else if (l instanceof Linear lin) {
      return Linear.shapeOnly(lin.name(), lin.input(), lin.inFeatures(), lin.outFeatures());
    } else if (l instanceof BatchNorm bn) {
      return BatchNorm.shapeOnly(bn.name(), bn.input(), bn.channels());
    } else if (l instanceof PolyAct a) {
      return polyActStandIn(a.name(), a.input(), a.degree(), a.isScaleOne(), a.isOutScaleOne());
    }
    return l; // parameter-free layers are public as they are
  }

  /**
   * A PolyAct's public part is its degree and its form — whether its scale and its output scale are
   * all 1 — since the form decides the plan (a Beaver product per factor that is not 1). The
   * stand-in carries no value of party 0's: shift 0, and a factor that is not 1 written as 0.
   */
  private static PolyAct polyActStandIn(
      String name, String input, int degree, boolean scaleOne, boolean outScaleOne) {
    return new PolyAct(
        name,
        input,
        new double[] {scaleOne ? 1 : 0},
        new double[] {0},
        degree,
        new double[] {outScaleOne ? 1 : 0});
  }

  private static boolean isStandIn(PolyAct a) {
    return a.scale().length == 1
        && a.shift().length == 1
        && a.outScale().length == 1
        && a.shift()[0] == 0
        && (a.scale()[0] == 0 || a.scale()[0] == 1)
        && (a.outScale()[0] == 0 || a.outScale()[0] == 1);
  }

  private static byte[] encode(Model m, InputRange r) {
    StringBuilder b = new StringBuilder();
    b.append(MAGIC).append('\n');
    b.append("model ").append(escape(m.name())).append('\n');
    b.append("input");
    for (int d : m.inputShape()) {
      b.append(' ').append(d);
    }
    b.append('\n');
    b.append("frac-bits ").append(m.fracBits()).append('\n');
    b.append("input-range ")
        .append(Double.toHexString(r.lo()))
        .append(' ')
        .append(Double.toHexString(r.hi()))
        .append('\n');
    for (Layer l : m.layers()) {
      b.append(l.kind()).append(' ').append(escape(l.name()));
      for (String in : l.inputs()) {
        b.append(' ').append(escape(in));
      }
      if (l instanceof Conv2d c) {
        conv(b, c);
      } else if (l instanceof PolyKerv p) {
        conv(b, p.conv());
        b.append(" degree=").append(p.dp());
      } else if (l instanceof Linear lin) {
        b.append(" in=").append(lin.inFeatures()).append(" out=").append(lin.outFeatures());
      } else if (l instanceof BatchNorm bn) {
        b.append(" channels=").append(bn.channels());
      } else if (l instanceof AvgPool ap) {
        window(b, ap.window());
        b.append(" include-pad=").append(ap.countIncludePad() ? 1 : 0);
      } else if (l instanceof MaxPool mp) {
        window(b, mp.window());
        b.append(" zero-pads=").append(mp.zeroPads() ? 1 : 0);
      } else if (l instanceof PolyAct a) {
        b.append(" degree=")
            .append(a.degree())
            .append(" scale=")
            .append(a.isScaleOne() ? "one" : "param")
            .append(" out-scale=")
            .append(a.isOutScaleOne() ? "one" : "param");
      } else if (l instanceof Softmax sm) {
        b.append(" log=").append(sm.log() ? 1 : 0);
      }
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void window(StringBuilder b, PoolWindow w) {
    int[] p = w.pads();
    b.append(" kernel=")
        .append(w.kernel())
        .append(" stride=")
        .append(w.stride())
        .append(" dilation=")
        .append(w.dilation())
        .append(" pads=")
        .append(p[0])
        .append(',')
        .append(p[1])
        .append(',')
        .append(p[2])
        .append(',')
        .append(p[3])
        .append(" ceil=")
        .append(w.ceilMode() ? 1 : 0);
  }

  private static void conv(StringBuilder b, Conv2d c) {
    b.append(" in=")
        .append(c.inChannels())
        .append(" out=")
        .append(c.outChannels())
        .append(" kernel=")
        .append(c.kernelH())
        .append('x')
        .append(c.kernelW())
        .append(" stride=")
        .append(c.stride())
        .append(" pad=")
        .append(c.padding());
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xFF;
      if (c > 0x20 && c < 0x7F && c != '%') {
        b.append((char) c);
      } else {
        b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated %-escape in name '" + s + "'");
        }
        out.write(HexFormat.fromHexDigits(s, i + 1, i + 3));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  // ---- decoding ---------------------------------------------------------------------------------

  /** Parses a canonical encoding; throws {@link IllegalArgumentException} naming the bad line. */
  public static Architecture decode(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "an architecture may have at most " + MAX_BYTES + " bytes, got " + bytes.length);
    }
    if (!looksLikeArchitecture(bytes)) {
      throw new IllegalArgumentException(
          "not a PolyShare architecture (it does not start with '" + MAGIC + "')");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("architecture does not end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    Parser p = new Parser(lines);
    Model m;
    InputRange r;
    try {
      p.next(); // magic, checked above
      String name = unescape(p.keyed("model", 1)[0]);
      String[] dims = p.keyed("input", -1);
      int[] shape = new int[dims.length];
      for (int i = 0; i < dims.length; i++) {
        shape[i] = p.integer(dims[i]);
      }
      int f = p.integer(p.keyed("frac-bits", 1)[0]);
      String[] range = p.keyed("input-range", 2);
      r = new InputRange(Double.parseDouble(range[0]), Double.parseDouble(range[1]));
      List<Layer> layers = new ArrayList<>();
      while (p.hasNext()) {
        layers.add(p.layer());
      }
      m = Model.of(name, shape, f, layers);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed architecture at line " + p.line + ": " + e.getMessage(), e);
    }
    byte[] canonical = encode(m, r);
    if (!Arrays.equals(canonical, bytes)) {
      throw new IllegalArgumentException(
          "architecture is not in canonical form (re-encoding it gives other"
              + " bytes); it was not written by PolyShare");
    }
    return new Architecture(m, r, canonical);
  }

  private static final class Parser {
    private final String[] lines;
    int line;

    Parser(String[] lines) {
      this.lines = lines;
    }

    boolean hasNext() {
      return line < lines.length;
    }

    String[] next() {
      if (!hasNext()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return lines[line++].split(" ", -1);
    }

    /** The values after {@code key} ({@code n} of them, or any number ≥ 1 for -1). */
    String[] keyed(String key, int n) {
      String[] t = next();
      if (!t[0].equals(key) || (n >= 0 ? t.length != n + 1 : t.length < 2)) {
        throw new IllegalArgumentException(
            "expected '" + key + "'" + (n >= 0 ? " with " + n + " value(s)" : ""));
      }
      return Arrays.copyOfRange(t, 1, t.length);
    }

    int integer(String s) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + s + "' is not an integer");
      }
    }

    private int attr(String token, String key) {
      if (!token.startsWith(key + "=")) {
        throw new IllegalArgumentException("expected " + key + "=..., got '" + token + "'");
      }
      return integer(token.substring(key.length() + 1));
    }

    private int[] kernel(String token) {
      if (!token.startsWith("kernel=")) {
        throw new IllegalArgumentException("expected kernel=HxW, got '" + token + "'");
      }
      String[] hw = token.substring(7).split("x", -1);
      if (hw.length != 2) {
        throw new IllegalArgumentException("expected kernel=HxW, got '" + token + "'");
      }
      return new int[] {integer(hw[0]), integer(hw[1])};
    }

    private PoolWindow window(String[] t) {
      if (!t[6].startsWith("pads=")) {
        throw new IllegalArgumentException("expected pads=T,L,B,R, got '" + t[6] + "'");
      }
      String[] p = t[6].substring(5).split(",", -1);
      if (p.length != 4) {
        throw new IllegalArgumentException("expected pads=T,L,B,R, got '" + t[6] + "'");
      }
      int[] pads = {integer(p[0]), integer(p[1]), integer(p[2]), integer(p[3])};
      return new PoolWindow(
          attr(t[3], "kernel"),
          attr(t[4], "stride"),
          attr(t[5], "dilation"),
          pads,
          flag(t[7], "ceil"));
    }

    private boolean flag(String token, String key) {
      int v = attr(token, key);
      if (v != 0 && v != 1) {
        throw new IllegalArgumentException(key + " must be 0 or 1, got '" + token + "'");
      }
      return v == 1;
    }

    private boolean form(String token, String key) {
      if (token.equals(key + "=one")) {
        return true;
      }
      if (token.equals(key + "=param")) {
        return false;
      }
      throw new IllegalArgumentException(
          "expected " + key + "=one or " + key + "=param, got '" + token + "'");
    }

    Layer layer() {
      String[] t = next();
      String kind = t[0];
      int want =
          switch (kind) {
            case "Conv2d" -> 8;
            case "PolyKerv" -> 9;
            case "AvgPool", "MaxPool" -> 9;
            case "PolyAct" -> 6;
            case "Linear" -> 5;
            case "BatchNorm", "Add", "Softmax" -> 4;
            case "GlobalAvgPool", "Flatten", "Relu" -> 3;
            default -> throw new IllegalArgumentException("unknown layer kind '" + kind + "'");
          };
      if (t.length != want) {
        throw new IllegalArgumentException(
            kind + " line has " + t.length + " fields, expected " + want);
      }
      String name = unescape(t[1]);
      String in = unescape(t[2]);
      switch (kind) {
        case "Conv2d", "PolyKerv" -> {
          int[] k = kernel(t[5]);
          Conv2d c =
              new Conv2d( // architecture only: no weight, no bias
                  name,
                  in,
                  attr(t[3], "in"),
                  attr(t[4], "out"),
                  k[0],
                  k[1],
                  attr(t[6], "stride"),
                  attr(t[7], "pad"),
                  null,
                  null);
          return kind.equals("Conv2d") ? c : new PolyKerv(name, in, c, null, attr(t[8], "degree"));
        }
        case "Linear" -> {
          return Linear.shapeOnly(name, in, attr(t[3], "in"), attr(t[4], "out"));
        }
        case "BatchNorm" -> {
          return BatchNorm.shapeOnly(name, in, attr(t[3], "channels"));
        }
        case "AvgPool" -> {
          return new AvgPool(name, in, window(t), flag(t[8], "include-pad"));
        }
        case "MaxPool" -> {
          return new MaxPool(name, in, window(t), flag(t[8], "zero-pads"));
        }
        case "PolyAct" -> {
          return polyActStandIn(
              name, in, attr(t[3], "degree"), form(t[4], "scale"), form(t[5], "out-scale"));
        }
        case "Softmax" -> {
          return new Softmax(name, in, flag(t[3], "log"));
        }
        case "Add" -> {
          return new Add(name, in, unescape(t[3]));
        }
        case "GlobalAvgPool" -> {
          return new GlobalAvgPool(name, in);
        }
        case "Flatten" -> {
          return new Flatten(name, in);
        }
        default -> {
          return new Relu(name, in);
        }
      }
    }
  }
}
