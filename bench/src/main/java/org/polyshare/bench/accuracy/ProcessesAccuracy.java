package org.polyshare.bench.accuracy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.polyshare.bench.compare.PartyReports;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;

/**
 * {@code bench accuracy --mode processes}: three JVMs per chunk of images. The dealer lives across
 * chunks; each chunk is one dealer session of two fresh party processes, batch 1. Party 0 loads the
 * model from ONNX; party 1 gets no model (party 0 sends it the architecture), only the images as
 * its input file. Offline time per image is the slower party's (both must finish it), online time
 * party 1's (it holds the result), as {@code bench compare} counts them.
 */
public final class ProcessesAccuracy {
  private ProcessesAccuracy() {}

  public static void run(
      Model model,
      Mnist.Split test,
      int chunk,
      Duration timeout,
      TruncationMode truncation,
      SecurePass secure)
      throws Exception {
    if (chunk < 1) {
      throw new IllegalArgumentException("--chunk must be >= 1, got " + chunk);
    }
    int n = test.n();
    System.err.printf(
        "secure inference of %d images (mode processes: dealer + 2 party JVMs,"
            + " TLS on loopback, f = %d, batch 1, %s truncation, chunks of %d)%n",
        n, model.fracBits(), truncation, chunk);
    try (SeparateJvmRunner jvms =
        new SeparateJvmRunner(
                SeparateJvmRunner.projectRoot(), NetworkProfile.LOOPBACK, timeout, List.of())
            .truncation(truncation)) {
      Path onnx = jvms.workDir().resolve("model.onnx");
      OnnxExporter.write(model, onnx);
      for (int lo = 0; lo < n; lo += chunk) {
        int m = Math.min(chunk, n - lo);
        List<double[]> images = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
          images.add(test.image(lo + j));
        }
        Path input = jvms.workDir().resolve("images.txt");
        SeparateJvmRunner.writeInputs(input, images);
        int done = lo;
        SeparateJvmRunner.Reports r =
            jvms.runParties(
                onnx.toString(),
                "accuracy-" + lo,
                input,
                m,
                k -> {
                  if (k % 50 == 49 || k == m - 1) {
                    System.err.printf("\r  %d / %d images", done + k + 1, n);
                  }
                });
        collect(r, lo, m, secure);
      }
      System.err.println();
    }
  }

  /** The chunk's logits (party 1's) and per-inference times into {@code secure}. */
  private static void collect(SeparateJvmRunner.Reports r, int lo, int m, SecurePass secure) {
    JsonArray inf0 = r.party0().getAsJsonArray("inferences");
    JsonArray inf1 = r.party1().getAsJsonArray("inferences");
    if (inf0.size() != m || inf1.size() != m) {
      throw new IllegalStateException(
          "party reports hold "
              + inf0.size()
              + " and "
              + inf1.size()
              + " inferences, expected "
              + m);
    }
    for (int j = 0; j < m; j++) {
      JsonObject a = inf0.get(j).getAsJsonObject();
      JsonObject c = inf1.get(j).getAsJsonObject();
      double offlineMs =
          Math.max(a.get("offline_ms").getAsDouble(), c.get("offline_ms").getAsDouble());
      secure.addTimes((long) (1e6 * offlineMs), (long) (1e6 * c.get("online_ms").getAsDouble()));
      secure.logits(lo + j, PartyReports.logits(c));
    }
  }
}
