package org.polyshare.bench.accuracy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.bench.compare.PartyReports;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.data.Mnist;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxExporter;
import org.polyshare.models.secure.ReluMode;

/**
 * {@code bench accuracy --mode processes}: three JVMs per chunk of images. The dealer lives across
 * chunks; each chunk is one dealer session of two fresh party processes running {@code party run
 * --batch B}: {@code ceil(m / B)} secure inferences of B images each, the last padded with copies
 * of the chunk's last image whose logits are dropped. Party 0 loads the model from ONNX; party 1
 * gets no model (party 0 sends it the architecture), only the images as its input file. Offline
 * time per batch is the slower party's (both must finish it), online time party 1's (it holds the
 * result), as {@code bench compare} counts them.
 */
public final class ProcessesAccuracy {
  private ProcessesAccuracy() {}

  /** How the party processes run: images per session, per secure inference, and the two arms. */
  public record Settings(
      int chunk, int batch, Duration timeout, TruncationMode truncation, ReluMode relu) {
    public Settings {
      if (chunk < 1) {
        throw new IllegalArgumentException("--chunk must be >= 1, got " + chunk);
      }
      if (batch < 1) {
        throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
      }
    }
  }

  /** Told after each chunk: the first {@code images} images have their secure logits. */
  @FunctionalInterface
  public interface Checkpoint {
    void reached(int images, int inferences) throws Exception;
  }

  /**
   * Runs every image of {@code test} through the party processes into {@code secure}, telling
   * {@code checkpoint} after each chunk but the last (so a long run leaves its prefix on disk);
   * returns the number of secure inferences the party reports hold (summed over chunks).
   */
  public static int run(
      Model model, Mnist.Split test, Settings s, SecurePass secure, Checkpoint checkpoint)
      throws Exception {
    int n = test.n();
    int batch = s.batch();
    System.err.printf(
        "secure inference of %d images (mode processes: dealer + 2 party JVMs,"
            + " TLS on loopback, f = %d, batch %d, %s truncation, ReLU by %s, chunks of %d)%n",
        n, model.fracBits(), batch, s.truncation(), s.relu(), s.chunk());
    int inferences = 0;
    try (SeparateJvmRunner jvms =
        new SeparateJvmRunner(
                SeparateJvmRunner.projectRoot(), NetworkProfile.LOOPBACK, s.timeout(), List.of())
            .truncation(s.truncation())
            .relu(s.relu())
            .batch(batch)) {
      Path onnx = jvms.workDir().resolve("model.onnx");
      OnnxExporter.write(model, onnx);
      for (int lo = 0; lo < n; lo += s.chunk()) {
        int m = Math.min(s.chunk(), n - lo);
        int batches = (m + batch - 1) / batch;
        List<double[]> images = new ArrayList<>(batches * batch);
        for (int j = 0; j < batches * batch; j++) {
          images.add(test.image(lo + Math.min(j, m - 1)));
        }
        Path input = jvms.workDir().resolve("images.txt");
        SeparateJvmRunner.writeInputs(input, images);
        int done = lo;
        SeparateJvmRunner.Reports r =
            jvms.runParties(
                onnx.toString(),
                "accuracy-" + s.relu().name().toLowerCase(Locale.ROOT) + "-" + lo,
                input,
                batches,
                k -> {
                  int reached = done + Math.min(m, (k + 1) * batch);
                  if (reached % 50 < batch || k == batches - 1) {
                    System.err.printf("\r  %d / %d images", reached, n);
                  }
                });
        collect(r, lo, m, batch, secure);
        inferences += batches;
        if (lo + m < n) {
          checkpoint.reached(lo + m, inferences);
        }
      }
      System.err.println();
    }
    return inferences;
  }

  /** The chunk's logits (party 1's) and per-batch times into {@code secure}. */
  private static void collect(
      SeparateJvmRunner.Reports r, int lo, int m, int batch, SecurePass secure) {
    JsonArray inf0 = r.party0().getAsJsonArray("inferences");
    JsonArray inf1 = r.party1().getAsJsonArray("inferences");
    int batches = (m + batch - 1) / batch;
    int reported = r.party1().get("batch").getAsInt();
    if (inf0.size() != batches || inf1.size() != batches || reported != batch) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "party reports hold %d and %d inferences of batch %d, expected %d of batch %d",
              inf0.size(),
              inf1.size(),
              reported,
              batches,
              batch));
    }
    for (int k = 0; k < batches; k++) {
      JsonObject a = inf0.get(k).getAsJsonObject();
      JsonObject c = inf1.get(k).getAsJsonObject();
      double offlineMs =
          Math.max(a.get("offline_ms").getAsDouble(), c.get("offline_ms").getAsDouble());
      secure.addTimes((long) (1e6 * offlineMs), (long) (1e6 * c.get("online_ms").getAsDouble()));
      secure.addOnlineBytes(c.get("online_bytes").getAsLong());
      // batch 1: {"logits": [...]}; batch B: {"results": [{"input": i, "logits": [...]}, ...]}
      JsonArray results = batch == 1 ? null : c.getAsJsonArray("results");
      for (int j = 0; j < batch && k * batch + j < m; j++) {
        secure.logits(
            lo + k * batch + j,
            PartyReports.logits(results == null ? c : results.get(j).getAsJsonObject()));
      }
    }
  }
}
