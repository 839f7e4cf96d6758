package org.polyshare.bench.accuracy;

import java.util.ArrayList;
import java.util.List;
import org.polyshare.bench.compare.ReferenceCheck;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ErrorBound;

/**
 * One test image whose secure top-1 class differs from the plaintext one, and whether that is a
 * near-tie: the plaintext top-2 logit gap is at most twice the stated fixed-point error bound
 * ({@link ErrorBound#logits} for this image), so each of the two logits moving by the bound may
 * swap them. A differing prediction that is not a near-tie is a protocol error.
 *
 * @param gap plaintext top-1 logit minus the runner-up
 * @param bound worst-case |secure − plaintext| per logit for this image
 */
public record DifferingPrediction(
    int image, int label, int plain, int secure, double gap, double bound) {

  public boolean nearTie() {
    return gap <= 2 * bound;
  }

  /** The differing predictions of a pass, in image order. */
  public static List<DifferingPrediction> of(
      Model model, Mnist.Split test, double[][] plain, double[][] secure) {
    List<DifferingPrediction> out = new ArrayList<>();
    for (int i = 0; i < plain.length; i++) {
      int p = ReferenceCheck.argmax(plain[i]);
      int s = ReferenceCheck.argmax(secure[i]);
      if (p != s) {
        double bound = ErrorBound.logits(model, new double[][] {test.image(i)});
        out.add(
            new DifferingPrediction(
                i, test.labels()[i], p, s, ReferenceCheck.margin(plain[i], p), bound));
      }
    }
    return out;
  }
}
