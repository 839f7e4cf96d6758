package org.polyshare.bench.accuracy;

import java.util.Locale;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.ReluMode;

/**
 * What one {@code bench accuracy} run is (model, data set, mode, truncation, ReLU arm); makes the
 * flat report of its scores and secure-pass costs over however many images are done.
 */
public record RunHeader(
    Model model,
    String file,
    IdxDataset set,
    String mode,
    boolean processes,
    TruncationMode truncation,
    ReluMode relu) {

  /** The flat report of {@code s.images()} images run {@code b} per secure inference. */
  public Report report(Scores s, int b, SecurePass secure, double secureMs) {
    int n = s.images();
    String arm = relu.name().toLowerCase(Locale.ROOT);
    return new Report(
            String.format(
                Locale.ROOT,
                "bench accuracy: model %s (%s), %d %s test images,"
                    + " mode %s, f = %d, truncation %s, ReLU by %s, batch %d; %s",
                model.name(),
                file,
                n,
                set.title(),
                mode,
                model.fracBits(),
                truncation,
                arm,
                b,
                processes
                    ? "offline is the slower party's, online party 1's; secure time includes JVM starts"
                    : "times on party 1's clock"))
        .put("model", model.name())
        .put("file", file)
        .put("dataset", set.title())
        .put("images", (long) n)
        .put("mode", mode)
        .put("frac_bits", (long) model.fracBits())
        .put("truncation", truncation.name())
        .put("relu", arm)
        .put("batch", (long) b)
        .put("plaintext_accuracy", s.plainAccuracy())
        .put("secure_accuracy", s.secureAccuracy())
        .put("differing_predictions", (long) s.differing())
        .put("max_logit_error", s.maxLogitError())
        .put("max_logit_error_ulps", s.maxLogitError() * Math.scalb(1.0, model.fracBits()))
        .put("max_abs_logit", s.maxAbsLogit())
        .put("secure_ms_per_image", secureMs / n)
        .put("offline_ms_per_image", secure.offlineNanos() / 1e6 / n)
        .put("online_ms_per_image", secure.onlineNanos() / 1e6 / n)
        // the padded images of a last partial batch count in the totals, divided by real images
        .put("online_bytes_per_image", (double) secure.onlineBytes() / n);
  }
}
