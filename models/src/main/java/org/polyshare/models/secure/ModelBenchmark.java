package org.polyshare.models.secure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/**
 * Secure inference of a model in-process (two party threads, in-memory link, in-process dealer)
 * next to the plaintext int64 forward ({@link RingForward}) of the same model on the same inputs,
 * in the same run. One session (fixed-weight masks opened once, timed apart); then per repetition
 * an offline phase, an online phase and the plaintext forward (while both parties wait), timed
 * separately. A phase's time is the slower party's;
 * the reported times are medians over the measured repetitions.
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  public record Settings(String model, int batch, int warmup, int reps, TruncationMode truncation) {}

  public record Layer(String name, String kind, double offlineMs, double onlineMs,
      long onlineBytes, long onlineRounds) {}

  public record Report(Settings settings, String model, long parameters, double setupMs,
      double offlineMs, double onlineMs, double plaintextMs, long offlineBytes, long onlineBytes,
      long onlineRounds, double maxAbsErrorVsInt64, boolean top1Agrees, List<Layer> layers) {
    public double ratio() {
      return onlineMs / plaintextMs;
    }

    public String format() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT, "model %s (%d parameters), batch %d, truncation %s,"
              + " %d measured reps after %d warm-up%n", model, parameters, settings.batch(),
          settings.truncation(), settings.reps(), settings.warmup()));
      sb.append(String.format(Locale.ROOT, "%-18s %-16s %11s %11s %13s %7s%n", "layer", "kind",
          "offline ms", "online ms", "online bytes", "rounds"));
      for (Layer l : layers) {
        sb.append(String.format(Locale.ROOT, "%-18s %-16s %11.2f %11.2f %13d %7d%n", l.name(),
            l.kind(), l.offlineMs(), l.onlineMs(), l.onlineBytes(), l.onlineRounds()));
      }
      sb.append(String.format(Locale.ROOT, "session setup (weight masks): %.1f ms%n", setupMs));
      sb.append(String.format(Locale.ROOT, "offline: %.1f ms, %d bytes on the party link%n",
          offlineMs, offlineBytes));
      sb.append(String.format(Locale.ROOT, "online:  %.1f ms, %d bytes, %d rounds%n", onlineMs,
          onlineBytes, onlineRounds));
      sb.append(String.format(Locale.ROOT, "plaintext int64 forward: %.1f ms%n", plaintextMs));
      sb.append(String.format(Locale.ROOT, "online / plaintext = %.2fx (target <= 2x)%n",
          ratio()));
      sb.append(String.format(Locale.ROOT, "max |secure - int64| = %.3g, top-1 agrees: %s%n",
          maxAbsErrorVsInt64, top1Agrees));
      return sb.toString();
    }

    public String toJson() {
      StringBuilder sb = new StringBuilder("{\n");
      sb.append(String.format(Locale.ROOT,
          "  \"model\": \"%s\", \"parameters\": %d, \"batch\": %d, \"truncation\": \"%s\","
              + " \"reps\": %d, \"warmup\": %d,%n", model, parameters, settings.batch(),
          settings.truncation(), settings.reps(), settings.warmup()));
      sb.append(String.format(Locale.ROOT,
          "  \"setup_ms\": %.3f, \"offline_ms\": %.3f, \"online_ms\": %.3f, \"plaintext_int64_ms\":"
              + " %.3f, \"online_over_plaintext\": %.4f,%n", setupMs, offlineMs, onlineMs,
          plaintextMs, ratio()));
      sb.append(String.format(Locale.ROOT,
          "  \"offline_bytes\": %d, \"online_bytes\": %d, \"online_rounds\": %d,"
              + " \"max_abs_error_vs_int64\": %.6g, \"top1_agrees\": %s,%n", offlineBytes,
          onlineBytes, onlineRounds, maxAbsErrorVsInt64, top1Agrees));
      sb.append("  \"layers\": [\n");
      for (int i = 0; i < layers.size(); i++) {
        Layer l = layers.get(i);
        sb.append(String.format(Locale.ROOT,
            "    {\"name\": \"%s\", \"kind\": \"%s\", \"offline_ms\": %.3f, \"online_ms\": %.3f,"
                + " \"online_bytes\": %d, \"online_rounds\": %d}%s%n", l.name(), l.kind(),
            l.offlineMs(), l.onlineMs(), l.onlineBytes(), l.onlineRounds(),
            i + 1 < layers.size() ? "," : ""));
      }
      sb.append("  ]\n}\n");
      return sb.toString();
    }
  }

  public static Report run(Settings s) {
    if (s.batch() < 1 || s.reps() < 1 || s.warmup() < 0) {
      throw new IllegalArgumentException("batch and reps must be >= 1, warmup >= 0");
    }
    Model arch0 = Zoo.architecture(s.model());
    long relus = SecureModel.compile(arch0, s.batch()).reluCount();
    // Each party holds ~7 KB of garbled-circuit material per ReLU until the online phase.
    long gcBytes = relus * 2 * 7 * 1024L;
    if (gcBytes > Runtime.getRuntime().maxMemory() / 2) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s at batch %d has %d ReLUs: about %.1f GB of garbled-circuit material for the two"
              + " in-process parties, more than half the heap (%.1f GB); raise -Xmx (e.g."
              + " BENCH_JAVA_OPTS=-Xmx20g) or benchmark the PKN variant", s.model(), s.batch(),
          relus, gcBytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9));
    }
    Model model = Zoo.load(s.model());
    Model arch = Zoo.architecture(s.model());
    double[][] xs = Zoo.sampleInputs(model, s.batch(), 2024);
    int total = s.warmup() + s.reps();

    RingForward plain = new RingForward(model, s.batch());
    long[] encoded = Encoding.encodeBatch(model.fixedPoint(), xs, model.inputSize());
    double[] plainMs = new double[total];
    long[][] ringOut = new long[1][];
    // The plaintext forward runs inside each repetition, between two barriers at which both
    // parties wait, so it sees the same machine load as the secure phases and competes with
    // neither party.
    CyclicBarrier before = new CyclicBarrier(2);
    CyclicBarrier after = new CyclicBarrier(2);

    SecureModel.Options opt = SecureModel.Options.defaults().withTruncation(s.truncation());
    SecureModel sm0 = SecureModel.compile(model, s.batch(), opt);
    SecureModel sm1 = SecureModel.compile(arch, s.batch(), opt);
    InProcessSession session = new InProcessSession(model.fixedPoint(), s.truncation(),
        Duration.ofMinutes(5));
    long[] setupNs = new long[2];
    TwoParties.Result<List<SecureModel.Result>> r = session.run(
        p -> {
          long t0 = System.nanoTime();
          SecureModel.Session ses = sm0.open(p);
          setupNs[0] = System.nanoTime() - t0;
          List<SecureModel.Result> out = new ArrayList<>();
          for (int k = 0; k < total; k++) {
            ses.offline();
            out.add(ses.online(null));
            await(before);
            await(after);
          }
          return out;
        },
        p -> {
          long t0 = System.nanoTime();
          SecureModel.Session ses = sm1.open(p);
          setupNs[1] = System.nanoTime() - t0;
          List<SecureModel.Result> out = new ArrayList<>();
          for (int k = 0; k < total; k++) {
            ses.offline();
            out.add(ses.online(xs));
            await(before);
            long t1 = System.nanoTime();
            ringOut[0] = plain.forwardRing(encoded.clone());
            plainMs[k] = (System.nanoTime() - t1) / 1e6;
            await(after);
          }
          return out;
        });
    double[] off = new double[s.reps()];
    double[] on = new double[s.reps()];
    for (int k = 0; k < s.reps(); k++) {
      SecureModel.Result a = r.party0().get(s.warmup() + k);
      SecureModel.Result b = r.party1().get(s.warmup() + k);
      off[k] = Math.max(a.offlineNanos(), b.offlineNanos()) / 1e6;
      on[k] = Math.max(a.onlineNanos(), b.onlineNanos()) / 1e6;
    }
    SecureModel.Result last0 = r.party0().get(total - 1);
    SecureModel.Result last1 = r.party1().get(total - 1);
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < last1.layers().size(); i++) {
      SecureModel.LayerReport a = last0.layers().get(i);
      SecureModel.LayerReport b = last1.layers().get(i);
      layers.add(new Layer(b.layer(), b.kind(),
          Math.max(a.offlineNanos(), b.offlineNanos()) / 1e6,
          Math.max(a.onlineNanos(), b.onlineNanos()) / 1e6, b.onlineBytes(),
          Math.max(a.onlineRounds(), b.onlineRounds())));
    }
    double err = 0;
    boolean top1 = true;
    double[][] secure = last1.logits();
    double[][] ringLogits = Encoding.decodeBatch(model.fixedPoint(), ringOut[0], s.batch());
    for (int i = 0; i < s.batch(); i++) {
      for (int k = 0; k < secure[i].length; k++) {
        err = Math.max(err, Math.abs(secure[i][k] - ringLogits[i][k]));
      }
      top1 &= argmax(secure[i]) == argmax(ringLogits[i]);
    }
    long offBytes = last1.offlineTraffic().bytesSent() + last1.offlineTraffic().bytesReceived();
    long onBytes = last1.onlineTraffic().bytesSent() + last1.onlineTraffic().bytesReceived();
    long rounds = Math.max(last0.onlineTraffic().rounds(), last1.onlineTraffic().rounds());
    return new Report(s, model.name(), model.parameterCount(),
        Math.max(setupNs[0], setupNs[1]) / 1e6, median(off), median(on),
        median(Arrays.copyOfRange(plainMs, s.warmup(), total)), offBytes, onBytes, rounds, err,
        top1, layers);
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("benchmark parties lost step: " + e, e);
    }
  }

  private static int argmax(double[] v) {
    int b = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[b]) {
        b = i;
      }
    }
    return b;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
