package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.polyshare.core.protocol.FusedPower;
import org.polyshare.core.protocol.PowerChain;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.graph.Add;
import org.polyshare.models.graph.AvgPool;
import org.polyshare.models.graph.BatchNorm;
import org.polyshare.models.graph.Conv2d;
import org.polyshare.models.graph.Flatten;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.PolyKerv;

/**
 * How each PolyKerv {@code (conv + cp)^dp} is lowered, and at how many fractional bits every tensor
 * travels. Three forms, cheapest first:
 *
 * <ul>
 *   <li>{@link Form#CARRIED}: one opening ({@link FusedPower}) gives shares of {@code t^dp}, {@code
 *       t = ⌊z/2^s⌋}, left at {@code dp·f} bits; every reader truncates by {@code dp·f} in the
 *       opening it makes anyway (a conv, linear or PolyKerv: its product sits at {@code (dp+1)·f}
 *       bits; a power-of-two average pool: its sum at {@code dp·f}). So the PolyKerv costs one
 *       round trip: the masked input and one opening.
 *   <li>{@link Form#FUSED}: the same opening, then a second truncation by {@code (dp−1)·f}, when a
 *       reader needs f bits (an Add, a BatchNorm, the output...) or the carry's scale does not fit.
 *   <li>{@link Form#CHAIN}: truncation, then square-and-multiply with a truncated product each
 *       ({@link org.polyshare.core.protocol.PowerChain}): LOCAL truncation (no dealer tuples), the
 *       fused path switched off, or a power whose {@code dp·f} bits do not fit.
 * </ul>
 *
 * <p><b>The scale budget.</b> The plan is a function of the architecture alone (party 1 compiles it
 * without weights), so the guard's per-layer choice is made on scales: a ring value at {@code σ}
 * fractional bits may be at most {@link #SCALE_LIMIT} {@code = 62 − margin − 4} (the margin of
 * {@link Headroom#DEFAULT_MARGIN_BITS}, 4 bits for activations up to 16). At f = 16: dp = 2 carries
 * (48 bits), dp = 3 fuses with a second truncation (power at 48, the carry's product at 64 would
 * not fit), dp ≥ 4 keeps the chain; at f = 8 dp ≤ 5 carries. Party 0's guard then measures the real
 * values at the compiled scales ({@link #headroom}) and refuses a model that does not fit.
 *
 * <p><b>Error of the carry.</b> Let the PolyKerv's pre-activation be {@code z} at {@code s + f}
 * bits, {@code x = z·2^−(s+f)}; exactly (EXACT truncation) {@code t = ⌊z/2^s⌋}, so {@code t·2^−f =
 * x − δ}, {@code 0 ≤ δ < 2^−f} (DEALER: {@code |δ| < 2^−f}). The power {@code P = t^dp} is exact
 * ring arithmetic while {@code |t|^dp < 2^63}: {@code P·2^−dp·f = (x − δ)^dp}. The reader forms
 * {@code Y = Σ_k W_k·P_k + B} with encoded weights {@code W_k = ŵ_k·2^f} and bias {@code B =
 * b̂·2^((dp+1)f)}, all exact integers while {@code |Y| < 2^62}, and one truncation gives {@code y =
 * ⌊Y / 2^(dp·f)⌋}. Hence, with {@code ŷ = Σ_k ŵ_k·x_k^dp + b̂},
 *
 * <pre>  |y·2^−f − ŷ| ≤ 2^−f + Σ_k |ŵ_k|·((|x_k| + 2^−f)^dp − |x_k|^dp),</pre>
 *
 * the input truncation carried through the power and the weights, and one ulp at the end. The
 * second-truncation path ({@link Form#FUSED}) adds {@code Σ_k |ŵ_k|·2^−f} on top (the power's own
 * floor, weighted): the carry is never less accurate. In EXACT mode {@code y} is exactly {@code ⌊(Σ
 * W_k·⌊z_k/2^s⌋^dp + B) / 2^(dp·f)⌋}, a deterministic function of the weights and the input; {@link
 * SecureLayer#ring} computes the same, so the secure logits equal the int64 forward bit for bit.
 *
 * <p><b>Folded Adds</b> ({@link AddFold}). A residual Add whose operands both arrive above f bits
 * (a product read by the Add alone, left untruncated; a PolyKerv's power) shifts each up to the
 * larger scale {@code f + s} and truncates the sum once by s. With exact integer operands {@code
 * A·2^a + B·2^b} (a, b the shifts up), the left shifts are exact while the sum stays below 2^62
 * (the budget: {@code f + s ≤ SCALE_LIMIT}, else the Add is refused, keeps its operands at f bits
 * and says why), so the output is {@code ⌊(A·2^a + B·2^b) / 2^s⌋} (plus β ≤ 1 ulp with the dealer):
 * one floor where the unfolded Add had one per operand, so its error is at most one ulp against the
 * operands' exact sum, never more than the two truncations it replaces. On ResNet-18 it carries the
 * stem's power into the first Add and keeps each 1x1 shortcut raw at 2f, so the shortcut costs no
 * opening and no round of its own.
 */
public final class CarryPlan {
  /** Activation allowance of the static budget: values up to 2^4 in magnitude. */
  static final int ACTIVATION_BITS = 4;

  /** The widest fractional scale the plan gives a ring value. */
  public static final int SCALE_LIMIT = 62 - Headroom.DEFAULT_MARGIN_BITS - ACTIVATION_BITS;

  /** The lowering of one PolyKerv. */
  public enum Form {
    CARRIED,
    FUSED,
    CHAIN
  }

  /** One PolyKerv's lowering: its form, its openings online, and why. */
  public record Kerv(String layer, int degree, int inputShift, Form form, String why) {
    /** Openings of the activation part (the conv's masked input not counted; a product is two). */
    public int openings() {
      return switch (form) {
        case CARRIED -> 1;
        case FUSED -> degree > 1 ? 2 : 1;
        case CHAIN -> 1 + 2 * products(degree);
      };
    }

    private static int products(int degree) {
      int n = 0;
      for (PowerChain.Step s : PowerChain.of(degree).steps()) {
        n += s == PowerChain.Step.TAKE ? 0 : 1;
      }
      return n;
    }
  }

  /**
   * A residual Add whose operands arrive above f bits and are summed there: each is shifted up to
   * the common scale {@code f + shift} (exact: a left shift of a share is a share of the shifted
   * value), then ONE truncation by {@code shift} brings the sum to f bits. {@code shift = 0}: both
   * operands are at f bits and the Add is local.
   */
  public record AddFold(String layer, int shift, int leftUp, int rightUp, String why) {
    /** Truncation openings of the Add online (0 or 1). */
    public int openings() {
      return shift > 0 ? 1 : 0;
    }
  }

  /**
   * An opening whose party-1 half travels offline: it reads owner-held products only (a PolyKerv's
   * or a Conv2d/Linear's own product, or a folded Add of two raw products), whose party-1 shares
   * are fixed before the input ({@link OwnedProduct.Inference#knownShare}), so online it is one
   * message, party 0 to party 1. {@code elements} per input.
   */
  public record EarlyHalf(String layer, String opening, int elements) {
    /** Bytes per input that move from the online to the offline phase. */
    public long bytes() {
      return 8L * elements;
    }
  }

  private final Map<String, Integer> excess;
  private final Map<String, Kerv> kervs;
  private final Map<String, AddFold> adds;
  private final List<EarlyHalf> early;
  private final int f;

  private CarryPlan(
      Map<String, Integer> excess,
      Map<String, Kerv> kervs,
      Map<String, AddFold> adds,
      List<EarlyHalf> early,
      int f) {
    this.excess = excess;
    this.kervs = kervs;
    this.adds = adds;
    this.early = early;
    this.f = f;
  }

  /** The plan {@link SecureModel#compile} makes for {@code model} under {@code options}. */
  public static CarryPlan of(Model model, SecureOptions options) {
    return of(Program.of(model), options.truncation(), options.fusedPolyKerv());
  }

  static CarryPlan of(Program program, TruncationMode mode, boolean fusedOn) {
    // An Add refused (its sum would not fit) makes its operands f-bit tensors, which changes the
    // producers' lowering: plan again without it. Terminates: each pass refuses one more Add.
    Map<String, String> refused = new HashMap<>();
    while (true) {
      CarryPlan p = attempt(program, mode, fusedOn, refused);
      if (p != null) {
        return p;
      }
    }
  }

  /** The plan with the Adds in {@code refused} kept at f bits; null (and one more refused) else. */
  private static CarryPlan attempt(
      Program program, TruncationMode mode, boolean fusedOn, Map<String, String> refused) {
    Model m = program.model;
    int f = m.fracBits();
    Map<String, Program.Step> steps = new HashMap<>();
    for (Program.Step s : program.steps) {
      steps.put(s.outputName(), s);
    }
    Set<String> folding = new HashSet<>();
    if (fusedOn && FusedPower.supports(mode)) {
      for (Program.Step s : program.steps) {
        if (s.layer() instanceof Add a
            && !refused.containsKey(a.name())
            && aboveF(a.left(), a, m, steps)
            && aboveF(a.right(), a, m, steps)) {
          folding.add(a.name());
        }
      }
    }
    Map<String, Integer> excess = new HashMap<>();
    Map<String, Kerv> kervs = new LinkedHashMap<>();
    Map<String, AddFold> adds = new LinkedHashMap<>();
    List<EarlyHalf> early = new ArrayList<>();
    boolean opens = mode != TruncationMode.LOCAL;
    excess.put(Model.INPUT, 0);
    for (Program.Step s : program.steps) {
      Layer l = s.layer();
      int in = excess.getOrDefault(l.inputs().get(0), 0);
      int out = 0;
      if (l instanceof PolyKerv p) {
        Kerv k = decide(p, in, f, mode, fusedOn, m, steps, folding);
        kervs.put(p.name(), k);
        out = k.form() == Form.CARRIED ? (p.dp() - 1) * f : 0;
        if (opens) {
          early.add(
              new EarlyHalf(
                  p.name(), k.form() == Form.CHAIN ? "truncation" : "fused power", s.outNumel()));
        }
      } else if (l instanceof Flatten) {
        out = in;
      } else if (isProduct(s) && soleReaderIn(s.outputName(), m, folding)) {
        out = f + in; // left raw at 2f + in bits: the Add truncates the sum
      } else if (isProduct(s) && opens) {
        early.add(new EarlyHalf(l.name(), "truncation", s.outNumel()));
      } else if (l instanceof Add a) {
        AddFold fold = fold(a, excess, f, refused.get(a.name()));
        if (fold == null) {
          refused.put(
              a.name(),
              "the sum at "
                  + (f + Math.max(excess.get(a.left()), excess.get(a.right())))
                  + " bits would exceed "
                  + SCALE_LIMIT);
          return null;
        }
        adds.put(a.name(), fold);
        if (opens
            && fold.shift() > 0
            && !a.left().equals(a.right())
            && rawProduct(a.left(), m, steps, folding)
            && rawProduct(a.right(), m, steps, folding)) {
          early.add(new EarlyHalf(a.name(), "truncation", s.outNumel()));
        }
      }
      excess.put(s.outputName(), out);
    }
    return new CarryPlan(
        excess,
        Collections.unmodifiableMap(kervs),
        Collections.unmodifiableMap(adds),
        List.copyOf(early),
        f);
  }

  /** Whether {@code tensor} is a product left raw for the folded Add reading it. */
  private static boolean rawProduct(
      String tensor, Model m, Map<String, Program.Step> steps, Set<String> folding) {
    Program.Step s = steps.get(tensor);
    return s != null && isProduct(s) && soleReaderIn(tensor, m, folding);
  }

  /** A Conv2d or Linear whose product is not read by a fused ReLU. */
  private static boolean isProduct(Program.Step s) {
    return (s.layer() instanceof Conv2d || s.layer() instanceof Linear) && s.fusedRelu() == null;
  }

  private static boolean soleReaderIn(String tensor, Model m, Set<String> folding) {
    List<Layer> readers = m.consumers(tensor);
    return readers.size() == 1 && folding.contains(readers.get(0).name());
  }

  /**
   * Whether the Add's operand {@code tensor} can arrive above f bits: a product read by this Add
   * alone (its truncation moves into the Add's), or a PolyKerv's power (carried when its other
   * readers absorb it too).
   */
  private static boolean aboveF(String tensor, Add a, Model m, Map<String, Program.Step> steps) {
    Program.Step s = steps.get(tensor);
    if (s == null) {
      return false;
    }
    if (s.layer() instanceof PolyKerv) {
      return true;
    }
    List<Layer> readers = m.consumers(tensor);
    return isProduct(s) && readers.size() == 1 && readers.get(0).name().equals(a.name());
  }

  /** The Add's fold over its operands' scales, or null when the sum does not fit. */
  private static AddFold fold(Add a, Map<String, Integer> excess, int f, String refusal) {
    int el = excess.getOrDefault(a.left(), 0);
    int er = excess.getOrDefault(a.right(), 0);
    int s = Math.max(el, er);
    if (s == 0) {
      return new AddFold(
          a.name(), 0, 0, 0, refusal != null ? "operands at f bits: " + refusal : "local");
    }
    if (f + s > SCALE_LIMIT) {
      return null;
    }
    return new AddFold(
        a.name(),
        s,
        s - el,
        s - er,
        "one truncation by "
            + s
            + " of "
            + a.left()
            + " (at "
            + (f + el)
            + ") + "
            + a.right()
            + " (at "
            + (f + er)
            + ")");
  }

  private static Kerv decide(
      PolyKerv p,
      int in,
      int f,
      TruncationMode mode,
      boolean fusedOn,
      Model m,
      Map<String, Program.Step> steps,
      Set<String> folding) {
    int d = p.dp();
    String name = p.name();
    if (!fusedOn) {
      return new Kerv(name, d, f + in, Form.CHAIN, "fused PolyKerv off");
    }
    if (!FusedPower.supports(mode)) {
      return new Kerv(name, d, f + in, Form.CHAIN, mode + " truncation has no dealer tuples");
    }
    if (d * f > SCALE_LIMIT) {
      return new Kerv(
          name, d, f + in, Form.CHAIN, "the power at " + d * f + " bits exceeds " + SCALE_LIMIT);
    }
    if (d == 1) {
      return new Kerv(name, d, f + in, Form.FUSED, "degree 1: the opening is the truncation");
    }
    if ((d + 1) * f > SCALE_LIMIT) {
      return new Kerv(
          name,
          d,
          f + in,
          Form.FUSED,
          "a reader's product at " + (d + 1) * f + " bits would exceed " + SCALE_LIMIT);
    }
    String blocker = blocker(name, m, steps, folding);
    return blocker == null
        ? new Kerv(name, d, f + in, Form.CARRIED, "readers truncate by " + d * f)
        : new Kerv(name, d, f + in, Form.FUSED, blocker);
  }

  /** Why {@code tensor}'s readers cannot take a carried value, or null when they all can. */
  private static String blocker(
      String tensor, Model m, Map<String, Program.Step> steps, Set<String> folding) {
    List<Layer> readers = m.consumers(tensor);
    if (readers.isEmpty()) {
      return "it is the output";
    }
    for (Layer r : readers) {
      Program.Step s = steps.get(r.name());
      boolean absorbs =
          r instanceof PolyKerv
              || folding.contains(r.name())
              || ((r instanceof Conv2d || r instanceof Linear)
                  && s != null
                  && s.fusedRelu() == null)
              || (r instanceof AvgPool a
                  && AvgPoolLayer.exactShift(a, m.shape(a.inputs().get(0))) > 0);
      if (r instanceof Flatten) {
        String inner = blocker(r.name(), m, steps, folding);
        if (inner != null) {
          return inner;
        }
      } else if (!absorbs) {
        return "read by " + r.kind() + " '" + r.name() + "', which needs f bits";
      }
    }
    return null;
  }

  /** Extra fractional bits (beyond f) of the tensor {@code name}: 0 unless a carry. */
  int excess(String name) {
    return excess.getOrDefault(name, 0);
  }

  /** The lowering of the PolyKerv {@code name}. */
  Kerv kerv(String name) {
    Kerv k = kervs.get(name);
    if (k == null) {
      throw new IllegalArgumentException("no PolyKerv '" + name + "' in the plan");
    }
    return k;
  }

  /** The fold of the Add {@code name}: local (shift 0) unless its operands arrive above f bits. */
  AddFold add(String name) {
    AddFold a = adds.get(name);
    return a != null ? a : new AddFold(name, 0, 0, 0, "local");
  }

  /** Every residual Add's fold, in evaluation order. */
  public List<AddFold> adds() {
    return List.copyOf(adds.values());
  }

  /** The openings whose party-1 half goes offline, in evaluation order. */
  public List<EarlyHalf> earlyHalves() {
    return early;
  }

  /** Whether the opening of the layer {@code name} sends party 1's half offline. */
  boolean opensEarly(String name) {
    for (EarlyHalf e : early) {
      if (e.layer().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Every PolyKerv's lowering, in evaluation order. */
  public List<Kerv> kervs() {
    return List.copyOf(kervs.values());
  }

  /**
   * The guard's rows at the compiled scales: a reader of a carried tensor holds its product {@code
   * e} bits wider, and a fused PolyKerv its power at {@code dp·f} bits (bounded with the row's
   * max|v|, which covers the output).
   */
  public Headroom.Report headroom(Model m, Headroom.Report r) {
    List<Headroom.LayerHeadroom> out = new ArrayList<>();
    for (Headroom.LayerHeadroom row : r.layers()) {
      Layer l = m.has(row.layer()) ? m.layer(row.layer()) : null;
      int scale = row.scaleBits();
      AddFold fold = adds.get(row.layer());
      if (fold != null) {
        scale += fold.shift(); // the sum before its truncation
      } else if (l != null && !(l instanceof Flatten)) {
        scale += excess(productInput(m, l));
        Kerv k = kervs.get(l.name());
        if (k != null && k.form() != Form.CHAIN) {
          scale = Math.max(scale, k.degree() * f);
        }
      }
      double bits = row.headroomBits() - (scale - row.scaleBits());
      out.add(
          new Headroom.LayerHeadroom(
              row.layer(), row.kind(), row.maxAbs(), scale, row.limitBits(), bits));
    }
    return new Headroom.Report(r.model(), r.fracBits(), r.samples(), out);
  }

  /**
   * The tensor whose extra bits set {@code l}'s scale: its input, or for a BatchNorm folded into
   * the product before it ({@link Model#foldBatchNorm}) that product's input (the folded product is
   * what holds the value).
   */
  private static String productInput(Model m, Layer l) {
    String in = l.inputs().get(0);
    if (l instanceof BatchNorm && m.has(in) && m.consumers(in).size() == 1) {
      Layer p = m.layer(in);
      if (p instanceof Conv2d || p instanceof Linear) {
        return p.inputs().get(0);
      }
    }
    return in;
  }

  /**
   * One line per PolyKerv (form, openings online, input shift and the reason), then one per
   * residual Add (folded or local, its truncation shift and why), then the openings whose party-1
   * half moved offline and the bytes per input that moved.
   */
  public String format() {
    StringBuilder sb = new StringBuilder();
    layerRow(sb, "PolyKerv", "form", "dp", "openings", "shift", "why");
    for (Kerv k : kervs.values()) {
      String form = k.form().name().toLowerCase(java.util.Locale.ROOT);
      layerRow(sb, k.layer(), form, k.degree(), k.openings(), k.inputShift(), k.why());
    }
    if (!adds.isEmpty()) {
      layerRow(sb, "Add", "form", "", "openings", "shift", "why");
      for (AddFold a : adds.values()) {
        String form = a.shift() > 0 ? "folded" : "local";
        layerRow(sb, a.layer(), form, "", a.openings(), a.shift(), a.why());
      }
    }
    if (!early.isEmpty()) {
      sb.append(
          String.format(
              "%-22s %-12s %9s %10s  %s%n",
              "Opened early",
              "opening",
              "elements",
              "bytes",
              "party 1's half offline: its share of the product is fixed before the input"));
      long total = 0;
      for (EarlyHalf e : early) {
        sb.append(
            String.format(
                "%-22s %-12s %9d %10d%n", e.layer(), e.opening(), e.elements(), e.bytes()));
        total += e.bytes();
      }
      sb.append(String.format("%-22s %-12s %9s %10d  per input%n", "moved offline", "", "", total));
    }
    return sb.toString();
  }

  /** One row of the PolyKerv and Add table: layer, form, dp, openings, shift, why. */
  private static void layerRow(StringBuilder sb, Object... cells) {
    sb.append(String.format("%-22s %-8s %3s %8s %5s  %s%n", cells));
  }
}
