package org.polyshare.bench.compare;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the two {@code party run --json} reports of a {@link SeparateJvmRunner} run into the
 * measurements the in-process runner produces, per inference, and each party's memory ({@link
 * PartyMemory}).
 */
public final class PartyReports {
  private PartyReports() {}

  /** Measurements (warm-ups dropped) and party 1's logits from the two reports. */
  static InProcessRunner.Run measurements(SeparateJvmRunner.Reports r, int warmup) {
    JsonArray inf0 = r.party0().getAsJsonArray("inferences");
    JsonArray inf1 = r.party1().getAsJsonArray("inferences");
    double setup =
        Math.max(
            r.party0().get("setup_ms").getAsDouble(), r.party1().get("setup_ms").getAsDouble());
    List<Measurement> reps = new ArrayList<>();
    List<double[][]> logits = new ArrayList<>();
    for (int k = warmup; k < inf1.size(); k++) {
      JsonObject a = inf0.get(k).getAsJsonObject();
      JsonObject b = inf1.get(k).getAsJsonObject();
      JsonObject slowerOffline =
          a.get("offline_ms").getAsDouble() >= b.get("offline_ms").getAsDouble() ? a : b;
      JsonArray la = a.getAsJsonArray("layers");
      JsonArray lb = b.getAsJsonArray("layers");
      JsonArray ls = slowerOffline.getAsJsonArray("layers");
      LayerSplit split = new LayerSplit();
      for (int i = 0; i < lb.size(); i++) {
        JsonObject x = la.get(i).getAsJsonObject();
        JsonObject y = lb.get(i).getAsJsonObject();
        // As in process: the client's clock, the ring product timed by the computing party's CPU.
        split.add(
            y.get("layer").getAsString(),
            y.get("kind").getAsString(),
            y.get("online_ms").getAsDouble(),
            y.get("online_activation_ms").getAsDouble() > 0
                || x.get("online_activation_ms").getAsDouble() > 0,
            Math.max(
                x.get("online_linear_cpu_ms").getAsDouble(),
                y.get("online_linear_cpu_ms").getAsDouble()),
            ls.get(i).getAsJsonObject().get("offline_activation_ms").getAsDouble(),
            y.get("online_bytes").getAsLong(),
            maxOf(x, y, "online_rounds"),
            y.get("online_activation_bytes").getAsLong(),
            maxOf(x, y, "online_activation_rounds"));
      }
      reps.add(
          split.measurement(
              setup,
              Math.max(a.get("offline_ms").getAsDouble(), b.get("offline_ms").getAsDouble()),
              b.get("online_ms").getAsDouble(),
              a.get("online_bytes_sent").getAsLong(),
              b.get("online_bytes_sent").getAsLong(),
              a.get("offline_bytes_sent").getAsLong(),
              b.get("offline_bytes_sent").getAsLong(),
              -1,
              a.get("dealer_bytes").getAsLong(),
              b.get("dealer_bytes").getAsLong(),
              maxOf(a, b, "online_rounds")));
      logits.add(new double[][] {logits(b)});
    }
    List<PartyMemory> memory = new ArrayList<>();
    for (PartyMemory m :
        new PartyMemory[] {PartyMemory.of(0, r.party0()), PartyMemory.of(1, r.party1())}) {
      if (m != null) {
        memory.add(m);
      }
    }
    return new InProcessRunner.Run(reps, logits, memory);
  }

  private static long maxOf(JsonObject a, JsonObject b, String key) {
    return Math.max(a.get(key).getAsLong(), b.get(key).getAsLong());
  }

  /** Party 1's logits of one inference of its report (empty if it holds none). */
  public static double[] logits(JsonObject inference) {
    JsonElement l = inference.get("logits");
    double[] v = new double[l == null ? 0 : l.getAsJsonArray().size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = l.getAsJsonArray().get(j).getAsDouble();
    }
    return v;
  }
}
