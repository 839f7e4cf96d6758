package org.polyshare.bench.throughput;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.polyshare.bench.compare.ReferenceCheck;
import org.polyshare.bench.harness.Medians;
import org.polyshare.bench.harness.Report;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.RingForward;

/**
 * What {@code bench throughput} measured. Throughput is the service's: inputs answered over the
 * window from the first query's start to the last query's end (one wall clock: every process runs
 * on this host or on hosts in step), so the clients' JVM start-up and session set-up before their
 * first query do not count; a query's latency runs from the start of its offline phase (dealer
 * material, precomputation) to the client holding its logits. Every answer is checked against the
 * plaintext double reference ({@link ReferenceCheck}) and, with exact truncation, for bit equality
 * with the int64 reference ({@link RingForward}).
 */
public record ThroughputResult(
    ThroughputRun.Settings settings,
    List<String> services,
    int[] queriesPerService,
    int queries,
    int inputs,
    int answersMatchingPlaintext,
    int answersBitExact,
    double windowMs,
    Percentiles latencyMs,
    double setupMedianMs,
    double onlineMedianMs,
    double offlineMedianMs,
    double onlineBytesPerBatch,
    double onlineRoundsPerBatch,
    double offlineBytesPerBatch,
    double dealerBytesPerBatch) {

  static ThroughputResult of(
      ThroughputRun.Settings s, List<String> services, Model model, List<ClientReport> clients) {
    int[] perService = new int[services.size()];
    List<ClientReport.Query> all = new ArrayList<>();
    int matching = 0;
    int exact = 0;
    int inputs = 0;
    RingForward ring = new RingForward(model, s.batch());
    for (ClientReport c : clients) {
      perService[services.indexOf(c.service())] += c.queries().size();
      all.addAll(c.queries());
      for (int i = 0; i < c.inputs().length; i++) {
        double[][] x = {c.inputs()[i]};
        double[][] y = {c.logits()[i]};
        matching += ReferenceCheck.check(model, x, y).passed() ? 1 : 0;
      }
      for (int q = 0; q < c.queries().size(); q++) {
        int from = q * s.batch();
        double[][] want = ring.forward(Arrays.copyOfRange(c.inputs(), from, from + s.batch()));
        for (int j = 0; j < s.batch(); j++) {
          exact += Arrays.equals(want[j], c.logits()[from + j]) ? 1 : 0;
        }
      }
      inputs += c.inputs().length;
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    double[] latency = new double[all.size()];
    for (int i = 0; i < latency.length; i++) {
      first = Math.min(first, all.get(i).startedAtMs());
      last = Math.max(last, all.get(i).finishedAtMs());
      latency[i] = all.get(i).latencyMs();
    }
    return new ThroughputResult(
        s,
        services,
        perService,
        all.size(),
        inputs,
        matching,
        exact,
        Math.max(1, last - first),
        new Percentiles(latency),
        Medians.median(clients, ClientReport::setupMs),
        Medians.median(all, ClientReport.Query::onlineMs),
        Medians.median(all, ClientReport.Query::offlineMs),
        Medians.median(all, q -> q.onlineBytes()),
        Medians.median(all, q -> q.onlineRounds()),
        Medians.median(all, q -> q.offlineBytes()),
        Medians.median(all, q -> q.dealerBytes()));
  }

  /** True when every answer passed the plaintext check (and, exact truncation, is bit-exact). */
  public boolean allAnswersCorrect() {
    return answersMatchingPlaintext == inputs
        && (settings.truncation() != TruncationMode.EXACT || answersBitExact == inputs);
  }

  public double inferencesPerSecond() {
    return inputs / (windowMs / 1000);
  }

  /** Named fields, in the order of the text, JSON and Markdown reports. */
  public Report report() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("model", settings.model());
    v.put("net", settings.net().name());
    v.put("truncation", settings.truncation().name().toLowerCase(java.util.Locale.ROOT));
    v.put("services", String.join(" ", services));
    v.put("clients", (long) settings.clients());
    v.put("queries_per_client", (long) settings.queries());
    v.put("batch", (long) settings.batch());
    v.put("queries", (long) queries);
    for (int i = 0; i < services.size(); i++) {
      v.put("service_" + i + "_queries", (long) queriesPerService[i]);
    }
    v.put("inputs_answered", (long) inputs);
    v.put("answers_matching_plaintext", (long) answersMatchingPlaintext);
    v.put("answers_bit_exact", (long) answersBitExact);
    v.put("all_answers_correct", allAnswersCorrect());
    v.put("window_ms", windowMs);
    v.put("inferences_per_second", inferencesPerSecond());
    v.put("queries_per_second", queries / (windowMs / 1000));
    v.put("latency_p50_ms", latencyMs.at(50));
    v.put("latency_p90_ms", latencyMs.at(90));
    v.put("latency_p99_ms", latencyMs.at(99));
    v.put("latency_max_ms", latencyMs.max());
    v.put("session_setup_median_ms", setupMedianMs);
    v.put("batch_online_median_ms", onlineMedianMs);
    v.put("batch_offline_median_ms", offlineMedianMs);
    v.put("batch_online_bytes", onlineBytesPerBatch);
    v.put("batch_online_rounds", onlineRoundsPerBatch);
    v.put("batch_offline_bytes", offlineBytesPerBatch);
    v.put("batch_dealer_bytes", dealerBytesPerBatch);
    v.put("load_average_1min", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    v.put("cpus", (long) Runtime.getRuntime().availableProcessors());
    return Report.of(
        "throughput of party 0's service: "
            + settings.model()
            + ", "
            + settings.clients()
            + " clients x "
            + settings.queries()
            + " queries of batch "
            + settings.batch(),
        v);
  }
}
