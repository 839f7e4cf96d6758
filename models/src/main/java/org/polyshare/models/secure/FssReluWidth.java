package org.polyshare.models.secure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Relu;

/**
 * The input width k of every FSS ReLU comparison ({@link ReluMode#FSS}): a ReLU's DCF compares
 * inputs in {@code [−2^k, 2^k)} with {@code ⌈k/2⌉} AES blocks and {@code 64·⌈k/2⌉} B of key per
 * ReLU and party, so k should be as small as the input allows.
 *
 * <p><b>The budget.</b> The plan is a function of the architecture alone (party 1 compiles it
 * without weights, and per-layer calibrated maxima are party 0's to keep), so k follows from the
 * input's fractional scale σ with a static activation allowance, as {@link CarryPlan}'s scale
 * budget does: {@code k = min(62, σ + }{@value #ACTIVATION_BITS}{@code + margin)}, the margin that
 * of {@link Headroom#DEFAULT_MARGIN_BITS}. σ is {@code 2f} for a ReLU fused into its product (the
 * 2f-bit product, truncation folded in) and {@code f} for a plain ReLU and for a max-pool's
 * differences (their inputs are never carried, {@link CarryPlan}). At f = 16: k = 46 fused, 30
 * plain; 62, the construction's widest, where the budget reaches it (f ≥ 24 fused): there no
 * narrower bound is known. k is in each {@code FssRelu} request, so the plan hash binds it.
 *
 * <p><b>The guard.</b> Party 0 measures ({@link #check}) that on the calibration samples every ReLU
 * input keeps the margin below 2^k at its scale (a max-pool input below 2^(k−1): a difference of
 * two cells), i.e. |v| ≤ 2^{@value #ACTIVATION_BITS} (2^5 for max-pool), and refuses the model
 * otherwise, naming the layer — the same assumption the exact truncation makes of 2^62: values on
 * real inputs stay within the margin of what calibration saw. Outside the range the ReLU is wrong
 * (see {@link FssReluStep}), as an overflowing product is.
 */
public final class FssReluWidth {
  /** ReLU inputs up to 2^6 = 64 in magnitude (the zoo's largest: 9.7, ResNet-18 after an Add). */
  public static final int ACTIVATION_BITS = 6;

  /** The widest input the FSS ReLU takes, where the budget gives no narrower bound. */
  public static final int MAX_BITS = ReluMode.FSS_INPUT_BITS;

  /**
   * One comparison site: a ReLU (fused or plain) or a max-pool, the tensor it reads, that tensor's
   * scale σ, the DCF width k, and the bits its calibrated values are held to ({@code k}, or {@code
   * k − 1} for a max-pool).
   */
  public record Site(String layer, String kind, String input, int scale, int bits, int bound) {}

  private FssReluWidth() {}

  /** The DCF width for inputs at {@code scale} fractional bits. */
  public static int of(int scale) {
    if (scale < 0) {
      throw new IllegalArgumentException("a ReLU input scale must be >= 0, got " + scale);
    }
    return Math.min(MAX_BITS, scale + ACTIVATION_BITS + Headroom.DEFAULT_MARGIN_BITS);
  }

  /** Every ReLU and max-pool of {@code model} as lowered ({@link Program}), in layer order. */
  public static List<Site> sites(Model model) {
    Set<String> fused = new HashSet<>();
    for (Program.Step s : Program.of(model).steps) {
      if (s.fusedRelu() != null) {
        fused.add(s.fusedRelu().name());
      }
    }
    int f = model.fracBits();
    List<Site> out = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof Relu r) {
        boolean isFused = fused.contains(r.name());
        int scale = isFused ? 2 * f : f;
        out.add(
            new Site(
                r.name(), isFused ? "ReLU fused" : "ReLU", r.input(), scale, of(scale), of(scale)));
      } else if (l instanceof MaxPool mp) {
        out.add(new Site(mp.name(), "MaxPool", mp.input(), f, of(f), of(f) - 1));
      }
    }
    return out;
  }

  /**
   * The guard's FSS part: throws {@link HeadroomException} for the first site whose input, on the
   * calibration samples of {@code report} (at the compiled scales), comes within {@code marginBits}
   * of 2^bound at the site's scale.
   */
  public static void check(Model model, Headroom.Report report, int marginBits) {
    for (Site s : sites(model)) {
      Headroom.LayerHeadroom row = headroom(model, report, s);
      if (!(row.headroomBits() >= marginBits)) {
        throw new HeadroomException(model.name(), row, marginBits);
      }
    }
  }

  /** The headroom of {@code site}'s input below 2^bound at the site's scale. */
  private static Headroom.LayerHeadroom headroom(Model model, Headroom.Report report, Site s) {
    Map<String, Headroom.LayerHeadroom> rows = new HashMap<>();
    for (Headroom.LayerHeadroom r : report.layers()) {
      rows.put(r.layer(), r);
    }
    Headroom.LayerHeadroom in = rows.get(s.input());
    if (in == null) {
      throw new IllegalStateException(
          "headroom report of '"
              + model.name()
              + "' has no row for '"
              + s.input()
              + "', the input of "
              + s.kind()
              + " '"
              + s.layer()
              + "'");
    }
    double left =
        in.maxAbs() > 0
            ? s.bound() - s.scale() - Math.log(in.maxAbs()) / Math.log(2)
            : Headroom.UNBOUNDED;
    return new Headroom.LayerHeadroom(
        in.layer(),
        in.kind(),
        in.maxAbs(),
        s.scale(),
        s.bound(),
        Math.min(left, Headroom.UNBOUNDED));
  }

  /** One line per site: its kind, input, scale, k, and the calibrated headroom below 2^bound. */
  public static String format(Model model, Headroom.Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "%-22s %-10s %-22s %6s %3s %9s%n",
            "FSS site", "kind", "input", "scale", "k", "headroom"));
    for (Site s : sites(model)) {
      sb.append(
          String.format(
              "%-22s %-10s %-22s %6s %3d %9.1f%n",
              s.layer(),
              s.kind(),
              s.input(),
              "2^" + s.scale(),
              s.bits(),
              headroom(model, report, s).headroomBits()));
    }
    return sb.toString();
  }
}
