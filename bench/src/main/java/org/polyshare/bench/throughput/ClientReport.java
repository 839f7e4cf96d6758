package org.polyshare.bench.throughput;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's {@code party run --json} report: per query (one inference of {@code batch} inputs)
 * its wall-clock span and the batch's costs, and the logits of every input, next to the inputs the
 * client sent.
 */
record ClientReport(
    String service, double setupMs, List<Query> queries, double[][] inputs, double[][] logits) {

  /** One query: epoch-ms span (offline start to outputs held) and the whole batch's costs. */
  record Query(
      long startedAtMs,
      long finishedAtMs,
      double offlineMs,
      double onlineMs,
      long onlineBytes,
      long onlineRounds,
      long offlineBytes,
      long dealerBytes) {
    double latencyMs() {
      return finishedAtMs - startedAtMs;
    }
  }

  static ClientReport of(String service, JsonObject json, double[][] inputs, int batch) {
    JsonArray inferences = json.getAsJsonArray("inferences");
    List<Query> queries = new ArrayList<>();
    double[][] logits = new double[inputs.length][];
    for (int k = 0; k < inferences.size(); k++) {
      JsonObject i = inferences.get(k).getAsJsonObject();
      queries.add(
          new Query(
              i.get("started_at_ms").getAsLong(),
              i.get("finished_at_ms").getAsLong(),
              i.get("offline_ms").getAsDouble(),
              i.get("online_ms").getAsDouble(),
              i.get("online_bytes").getAsLong(),
              i.get("online_rounds").getAsLong(),
              i.get("offline_bytes").getAsLong(),
              i.get("dealer_bytes").getAsLong()));
      if (batch == 1) {
        logits[k] = values(i.getAsJsonArray("logits"));
      } else {
        for (JsonElement e : i.getAsJsonArray("results")) {
          JsonObject r = e.getAsJsonObject();
          logits[r.get("input").getAsInt()] = values(r.getAsJsonArray("logits"));
        }
      }
    }
    if (queries.size() * batch != inputs.length) {
      throw new IllegalStateException(
          "client of "
              + service
              + " reported "
              + queries.size()
              + " queries of batch "
              + batch
              + " for "
              + inputs.length
              + " inputs");
    }
    return new ClientReport(service, json.get("setup_ms").getAsDouble(), queries, inputs, logits);
  }

  private static double[] values(JsonArray a) {
    double[] v = new double[a.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = a.get(j).getAsDouble();
    }
    return v;
  }
}
