package org.polyshare.party;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.polyshare.models.data.Idx;
import org.polyshare.models.graph.Model;

/**
 * Party 1's input tensors ({@code C×H×W} per inference) from a file, by content:
 *
 * <ul>
 *   <li>an image ImageIO reads (PNG, JPEG, BMP, GIF): converted to the model's channels (1 =
 *       luminance {@code 0.299R + 0.587G + 0.114B}, 3 = RGB), resized (bilinear) to the model's
 *       H×W, scaled to [0, 1] and normalized {@code (v − mean[c]) / std[c]}; the same image for
 *       every inference;
 *   <li>an IDX file of unsigned bytes (MNIST's {@code t10k-images-idx3-ubyte}, optionally .gz),
 *       rank 3 {@code [N, H, W]} (1-channel models) or rank 4 {@code [N, C, H, W]}: images {@code
 *       index}, {@code index+1}, … for the successive inferences, normalized like an image;
 *   <li>a binary tensor: magic {@code "PSF4"}, u32 rank, rank × u32 dimensions, then float32
 *       values, all little-endian; dimensions {@code [C,H,W]} (one input, reused) or {@code
 *       [N,C,H,W]} (one per inference); used as is;
 *   <li>otherwise text: numbers separated by whitespace, commas or semicolons, {@code C·H·W}
 *       (reused) or {@code N·C·H·W} of them; used as is.
 * </ul>
 */
public final class ClientInput {
  private ClientInput() {}

  /** Magic of the binary float32 tensor form. */
  static final byte[] TENSOR_MAGIC = "PSF4".getBytes(StandardCharsets.US_ASCII);

  /**
   * How to read image-like inputs: the first IDX image to use, and the per-channel normalization
   * applied after scaling pixels to [0, 1] (one value = every channel). Default: mean 0, std 1.
   */
  public record Options(int index, double[] mean, double[] std) {
    public Options {
      if (index < 0) {
        throw new IllegalArgumentException("--index must be >= 0, got " + index);
      }
      mean = mean == null || mean.length == 0 ? new double[] {0} : mean.clone();
      std = std == null || std.length == 0 ? new double[] {1} : std.clone();
      for (double s : std) {
        if (!(s > 0) || !Double.isFinite(s)) {
          throw new IllegalArgumentException(
              "--std values must be positive, got " + Arrays.toString(std));
        }
      }
    }

    public static Options defaults() {
      return new Options(0, null, null);
    }

    double mean(int c, int channels) {
      return pick(mean, c, channels, "--mean");
    }

    double std(int c, int channels) {
      return pick(std, c, channels, "--std");
    }

    private static double pick(double[] v, int c, int channels, String option) {
      if (v.length == 1) {
        return v[0];
      }
      if (v.length != channels) {
        throw new IllegalArgumentException(
            option
                + " has "
                + v.length
                + " values; the model has "
                + channels
                + " channels (give 1 or "
                + channels
                + ")");
      }
      return v[c];
    }
  }

  /** {@code inferences} inputs for {@code model} from {@code file}. */
  public static double[][] load(Path file, Model model, int inferences, Options options) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read input file " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length == 0) {
      throw new IllegalArgumentException("input file " + file + " is empty");
    }
    if (startsWith(bytes, TENSOR_MAGIC)) {
      return binaryTensor(bytes, file, model, inferences);
    }
    if (isIdx(bytes)) {
      return idx(bytes, file, model, inferences, options);
    }
    if (isImage(bytes)) {
      return image(bytes, file, model, inferences, options);
    }
    return text(bytes, file, model, inferences);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static boolean isIdx(byte[] b) {
    boolean gzip = b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
    return gzip
        || (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0x08 && (b[3] == 3 || b[3] == 4));
  }

  private static boolean isImage(byte[] b) {
    return startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'})
        || startsWith(b, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})
        || startsWith(b, "GIF8".getBytes(StandardCharsets.US_ASCII))
        || startsWith(b, "BM".getBytes(StandardCharsets.US_ASCII));
  }

  private static int[] chw(Model model) {
    int[] s = model.inputShape();
    if (s.length != 3) {
      throw new IllegalArgumentException(
          "model '"
              + model.name()
              + "' input shape "
              + Arrays.toString(s)
              + " is not [C, H, W]; give its input as a text or binary tensor file");
    }
    return s;
  }

  private static double[][] image(byte[] bytes, Path file, Model model, int inferences, Options o) {
    int[] s = chw(model);
    int c = s[0];
    int h = s[1];
    int w = s[2];
    if (c != 1 && c != 3) {
      throw new IllegalArgumentException(
          "model '"
              + model.name()
              + "' takes "
              + c
              + " channels; images can feed 1 (grayscale) or 3 (RGB) channel models only");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "input image " + file + " is unreadable: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IllegalArgumentException(
          "input image " + file + " is not in a format this Java can decode");
    }
    // Resize by drawing onto an RGB canvas of the model's size (bilinear); alpha is dropped.
    BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(img, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    double[] x = new double[c * h * w];
    for (int y = 0; y < h; y++) {
      for (int xx = 0; xx < w; xx++) {
        int rgb = scaled.getRGB(xx, y);
        double r = ((rgb >> 16) & 0xFF) / 255.0;
        double gr = ((rgb >> 8) & 0xFF) / 255.0;
        double b = (rgb & 0xFF) / 255.0;
        int p = y * w + xx;
        if (c == 1) {
          x[p] = (0.299 * r + 0.587 * gr + 0.114 * b - o.mean(0, 1)) / o.std(0, 1);
        } else {
          x[p] = (r - o.mean(0, 3)) / o.std(0, 3);
          x[h * w + p] = (gr - o.mean(1, 3)) / o.std(1, 3);
          x[2 * h * w + p] = (b - o.mean(2, 3)) / o.std(2, 3);
        }
      }
    }
    double[][] xs = new double[inferences][];
    Arrays.fill(xs, x);
    return xs;
  }

  private static double[][] idx(byte[] bytes, Path file, Model model, int inferences, Options o) {
    int[] s = chw(model);
    Idx.UByteArray a;
    try {
      int rank = bytes.length >= 4 && bytes[0] == 0 ? bytes[3] : 3;
      a = Idx.parse(bytes, rank, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "IDX file " + file + " is unreadable: " + e.getMessage(), e);
    }
    int[] d = a.dims();
    int[] per = d.length == 3 ? new int[] {1, d[1], d[2]} : new int[] {d[1], d[2], d[3]};
    if (!Arrays.equals(per, s)) {
      throw new IllegalArgumentException(
          "IDX file "
              + file
              + " holds images of "
              + Arrays.toString(per)
              + " (C, H, W); model '"
              + model.name()
              + "' needs "
              + Arrays.toString(s));
    }
    int n = d[0];
    if (o.index() + inferences > n) {
      throw new IllegalArgumentException(
          "IDX file "
              + file
              + " holds "
              + n
              + " images; --index "
              + o.index()
              + " with "
              + inferences
              + " inference(s) needs images up to "
              + (o.index() + inferences - 1));
    }
    int size = s[0] * s[1] * s[2];
    int plane = s[1] * s[2];
    double[][] xs = new double[inferences][size];
    for (int k = 0; k < inferences; k++) {
      int base = (o.index() + k) * size;
      for (int i = 0; i < size; i++) {
        int ch = i / plane;
        xs[k][i] = (a.unsigned(base + i) / 255.0 - o.mean(ch, s[0])) / o.std(ch, s[0]);
      }
    }
    return xs;
  }

  private static double[][] binaryTensor(byte[] bytes, Path file, Model model, int inferences) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.position(TENSOR_MAGIC.length);
    if (b.remaining() < 4) {
      throw new IllegalArgumentException("tensor file " + file + " is truncated in its header");
    }
    int rank = b.getInt();
    if (rank < 1 || rank > 8 || b.remaining() < 4L * rank) {
      throw new IllegalArgumentException(
          "tensor file " + file + " has a bad rank (" + rank + ") or truncated header");
    }
    long count = 1;
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = b.getInt();
      if (dims[i] <= 0) {
        throw new IllegalArgumentException("tensor file " + file + " has dimension " + dims[i]);
      }
      count *= dims[i];
    }
    if (b.remaining() != 4 * count) {
      throw new IllegalArgumentException(
          "tensor file "
              + file
              + " declares "
              + Arrays.toString(dims)
              + " = "
              + count
              + " floats but holds "
              + b.remaining()
              + " bytes of data (need "
              + 4 * count
              + ")");
    }
    int n = model.inputSize();
    int[] s = model.inputShape();
    boolean one = Arrays.equals(dims, s);
    boolean many =
        rank == s.length + 1
            && Arrays.equals(Arrays.copyOfRange(dims, 1, rank), s)
            && dims[0] == inferences;
    if (!one && !many) {
      throw new IllegalArgumentException(
          "tensor file "
              + file
              + " holds "
              + Arrays.toString(dims)
              + "; model '"
              + model.name()
              + "' needs "
              + Arrays.toString(s)
              + " (or ["
              + inferences
              + ", ...] for "
              + inferences
              + " inferences)");
    }
    double[][] xs = new double[inferences][n];
    for (int k = 0; k < inferences; k++) {
      int base = 4 * (one ? 0 : k * n);
      for (int i = 0; i < n; i++) {
        xs[k][i] = b.getFloat(b.position() + base + 4 * i);
      }
    }
    return xs;
  }

  /** Writes {@code data} (row-major, {@code dims}) in the binary tensor form. */
  public static void writeBinaryTensor(Path file, int[] dims, double[] data) throws IOException {
    ByteBuffer b =
        ByteBuffer.allocate(4 + 4 + 4 * dims.length + 4 * data.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(TENSOR_MAGIC).putInt(dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    for (double v : data) {
      b.putFloat((float) v);
    }
    Files.write(file, b.array());
  }

  private static double[][] text(byte[] bytes, Path file, Model model, int inferences) {
    int n = model.inputSize();
    String[] toks = new String(bytes, StandardCharsets.UTF_8).trim().split("[\\s,;]+");
    double[] values = new double[toks.length];
    for (int i = 0; i < toks.length; i++) {
      try {
        values[i] = Double.parseDouble(toks[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "input file "
                + file
                + " is not an image, IDX or tensor file, and as text"
                + " its token "
                + (i + 1)
                + " ('"
                + abbreviate(toks[i])
                + "') is not a number",
            e);
      }
    }
    if (values.length != n && values.length != (long) n * inferences) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "input file %s holds %d numbers; model '%s'" + " needs %d per inference (%d for %d)",
              file,
              values.length,
              model.name(),
              n,
              (long) n * inferences,
              inferences));
    }
    double[][] xs = new double[inferences][];
    for (int k = 0; k < inferences; k++) {
      int base = values.length == n ? 0 : k * n;
      xs[k] = Arrays.copyOfRange(values, base, base + n);
    }
    return xs;
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "…";
  }
}
