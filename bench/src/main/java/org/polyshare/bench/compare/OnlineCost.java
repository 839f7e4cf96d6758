package org.polyshare.bench.compare;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.ReluMode;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.zoo.Zoo;

/**
 * The online cost of one model under one ReLU arm, measured as {@code bench compare --in-process}
 * measures a variant ({@link InProcessRunner}: both parties and the dealer in this JVM, every link
 * shaped by the profile, batch 1): median online time, bytes and rounds over {@code repeat}
 * inferences on seeded random inputs, each checked against the plaintext reference.
 */
public record OnlineCost(double onlineMs, long onlineBytes, long onlineRounds, boolean checked) {

  public static OnlineCost measure(
      Model owner,
      ReluMode relu,
      NetworkProfile net,
      int warmup,
      int repeat,
      long seed,
      Duration timeout,
      String label) {
    Architecture published = Architecture.of(owner);
    List<double[][]> inputs = new ArrayList<>();
    for (int k = 0; k < warmup + repeat; k++) {
      double[][] xs = Zoo.sampleInputs(owner, 1, seed * 1_000_003L + k);
      published.inputRange().clamp(xs[0]); // party 1 refuses values outside the calibrated range
      inputs.add(xs);
    }
    try (Progress progress = new Progress(System.err, 1 + 2 * (warmup + repeat), true)) {
      InProcessRunner.Run run =
          new InProcessRunner(net, timeout, OfflineSchedule.AHEAD)
              .run(
                  owner,
                  published.model(),
                  inputs,
                  warmup,
                  progress,
                  label,
                  SecureOptions.defaults().withRelu(relu));
      List<ReferenceCheck.Outcome> checks = new ArrayList<>();
      for (int k = 0; k < run.logits().size(); k++) {
        checks.add(ReferenceCheck.check(owner, inputs.get(warmup + k), run.logits().get(k)));
      }
      VariantResult v = new VariantResult(label, warmup, run.reps(), checks);
      return new OnlineCost(
          v.median(Measurement::onlineMs),
          (long) v.median(m -> m.onlineBytes()),
          (long) v.median(Measurement::onlineRounds),
          v.passed());
    }
  }
}
