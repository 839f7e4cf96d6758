package org.polyshare.models.secure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.core.correlation.CorrelationRequest;
import org.polyshare.core.fss.FssRelu;
import org.polyshare.core.protocol.Party;
import org.polyshare.models.calib.Headroom;
import org.polyshare.models.calib.HeadroomException;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.MaxPool;
import org.polyshare.models.graph.Model;
import org.polyshare.models.graph.Relu;

/**
 * The FSS arm of a ReLU ({@link ReluMode#FSS}), shared by {@link ReluLayer} and the fused ReLU of
 * {@link LinearLayer}: {@link FssRelu} with shift f on the 2f-scale product (the exact truncation
 * folded into the ReLU) or shift 0 on a plain ReLU; two online rounds either way (the masked input,
 * then the masked sign and borrow bits). Exact, so the secure output equals the int64 reference
 * {@code z > 0 ? z >> f : 0} bit for bit.
 *
 * <p><b>Input bound.</b> A fixed {@code k = }{@value #BITS}: the DCF compares {@code x + 2^k} with
 * {@code k}-bit keys, which is correct for {@code x ∈ [−2^62, 2^62)}. The plan must come from
 * shapes alone (party 1 compiles a weightless architecture), so k cannot follow a calibration; 2^62
 * is also the bound below which the dealer truncation of the products is exact, so for a fused ReLU
 * the headroom guard (limit 2^62 at scale 2f) already covers it. A ReLU after a sum (scale f) is
 * checked again by {@link #checkBound} against 2^62 rather than the ring's 2^63, with the same
 * margin; the model is refused, naming the layer, when its input could exceed the bound. Without
 * the guard values outside the bound give garbage, as an overflowing product does. Cost of the
 * fixed bound: 1984 B of sign key per ReLU and party at k = 62 (1280 B at 40), 512 B more for the
 * borrow key at f = 16; 31 AES blocks per ReLU and party for the sign (8 for the borrow).
 */
final class FssReluStep {
  /** The DCF input bits: ReLU inputs must lie in {@code [−2^BITS, 2^BITS)}. */
  static final int BITS = ReluMode.FSS_INPUT_BITS;

  private FssReluStep() {}

  /** One inference's requests for {@code n} ReLUs followed by a shift of {@code shift} bits. */
  static List<CorrelationRequest> requests(int n, int shift) {
    return FssRelu.requests(n, BITS, shift);
  }

  /** Shares of {@code ⌊ReLU(x)/2^shift⌋}, exact. */
  static long[] online(Party q, long[] x, int shift) {
    return FssRelu.relu(q, x, BITS, shift);
  }

  /**
   * Refuses {@code model} when, on the calibration samples of {@code report}, the input of some
   * ReLU comes within {@code marginBits} of 2^{@value #BITS} at its scale, or the input of some
   * max-pool within {@code marginBits} of 2^({@value #BITS} − 1) (a difference of two cells must
   * stay below 2^{@value #BITS}).
   */
  static void checkBound(Model model, Headroom.Report report, int marginBits) {
    Map<String, Headroom.LayerHeadroom> rows = new HashMap<>();
    for (Headroom.LayerHeadroom r : report.layers()) {
      rows.put(r.layer(), r);
    }
    for (Layer l : model.layers()) {
      String input;
      int bound;
      if (l instanceof Relu relu) {
        input = relu.input();
        bound = BITS;
      } else if (l instanceof MaxPool mp) {
        input = mp.input();
        bound = BITS - 1;
      } else {
        continue;
      }
      Headroom.LayerHeadroom in = rows.get(input);
      if (in == null) {
        throw new IllegalStateException(
            "headroom report of '"
                + model.name()
                + "' has no row for '"
                + input
                + "', the input of "
                + l.kind()
                + " '"
                + l.name()
                + "'");
      }
      if (in.limitBits() <= bound) {
        continue; // the guard itself held this row to 2^bound or less
      }
      double left =
          in.maxAbs() > 0
              ? bound - in.scaleBits() - Math.log(in.maxAbs()) / Math.log(2)
              : Headroom.UNBOUNDED;
      if (!(left >= marginBits)) {
        throw new HeadroomException(
            model.name(),
            new Headroom.LayerHeadroom(
                in.layer(), in.kind(), in.maxAbs(), in.scaleBits(), bound, left),
            marginBits);
      }
    }
  }
}
