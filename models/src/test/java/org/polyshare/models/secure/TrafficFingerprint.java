package org.polyshare.models.secure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.polyshare.core.link.LinkStats;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.EveryKindStem;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;
import org.polyshare.models.zoo.ZooCache;

/**
 * The deterministic cost of a secure run: plan hash, dealer bytes, and per party and per layer the
 * link bytes and rounds of setup, offline and online. Equal fingerprints before and after a change
 * mean the protocol messages are the same (sizes, counts and order of rounds).
 */
final class TrafficFingerprint {
  private TrafficFingerprint() {}

  static String planOnly(String name, int batch, SecureOptions opt) {
    TruncationMode mode = opt.truncation();
    SecureModel sm = SecureModel.compile(Zoo.architecture(name), batch, opt);
    return String.format(
        Locale.ROOT,
        "%s batch %d %s: plan(2) %s, %d requests%n",
        name,
        batch,
        mode,
        sm.plan(2).sha256Hex(),
        sm.plan(2).size());
  }

  static String of(Model model, Model arch, int batch, TruncationMode mode) {
    return of(model, arch, batch, SecureOptions.defaults().withTruncation(mode));
  }

  static String of(Model model, Model arch, int batch, SecureOptions opt) {
    TruncationMode mode = opt.truncation();
    SecureModel sm0 = SecureModel.compile(model, batch, opt);
    SecureModel sm1 = SecureModel.compile(arch, batch, opt);
    double[][] xs = Zoo.sampleInputs(model, batch, 99);
    InProcessSession session =
        new InProcessSession(model.fixedPoint(), mode, Duration.ofMinutes(5));
    TwoParties.Result<List<String>> r =
        session.run(
            p -> runParty(sm0.open(p), p.link().stats(), null),
            p -> runParty(sm1.open(p), p.link().stats(), xs));
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s batch %d %s: plan(2) %s, dealer->0 %s, dealer->1 %s%n",
            model.name(),
            batch,
            mode,
            sm1.plan(2).sha256Hex(),
            session.dealer().trafficTo(0),
            session.dealer().trafficTo(1)));
    for (int id = 0; id < 2; id++) {
      for (String line : id == 0 ? r.party0() : r.party1()) {
        sb.append("  p").append(id).append(' ').append(line).append('\n');
      }
    }
    return sb.toString();
  }

  private static List<String> runParty(SecureSession s, LinkStats stats, double[][] xs) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      s.offline();
      SecureResult res = s.online(xs);
      out.add(
          "inference "
              + k
              + " offline "
              + t(res.offlineTraffic())
              + " online "
              + t(res.onlineTraffic()));
      for (LayerReport l : res.layers()) {
        out.add(
            String.format(
                Locale.ROOT,
                "  %-14s %-14s off+setup %d B, online %d B %d rounds," + " act %d B %d rounds",
                l.layer(),
                l.kind(),
                l.offlineBytes(),
                l.onlineBytes(),
                l.onlineRounds(),
                l.onlineActivationBytes(),
                l.onlineActivationRounds()));
      }
    }
    out.add("total " + t(stats.snapshot()));
    return out;
  }

  private static String t(LinkStats.Snapshot s) {
    return s.bytesSent()
        + "/"
        + s.bytesReceived()
        + " B, "
        + s.messagesSent()
        + " msgs, "
        + s.rounds()
        + " rounds";
  }

  /**
   * Every layer kind and lowering: fused and standalone ReLU, unfolded BN, dp = 3, cp per channel.
   */
  static Model allKinds() {
    return EveryKindStem.builder("all-kinds")
        .avgPool("pool", 2, 2)
        .globalAvgPool("gap")
        .flatten("flat")
        .linear("fc", 10)
        .build();
  }

  /**
   * Writes the fingerprints of the zoo (the light ones and the two large PKN nets) to {@code file}.
   */
  static void write(Path file) throws IOException {
    Files.writeString(file, light(true));
  }

  /**
   * Tiny and LeNet-5 (both variants, dealer truncation; tiny-pkn also local), the all-kinds net,
   * and the plan hashes of every zoo model at batch 1 and 3 in both modes; with {@code large}, also
   * runs of VGG-16 and ResNet-18 PKN at batch 1.
   */
  static String light(boolean large) {
    return light(large, SecureOptions.defaults());
  }

  /** {@link #light(boolean)} with {@code base}'s lowering (each run in its own truncation mode). */
  static String light(boolean large, SecureOptions base) {
    SecureOptions dealer = base.withTruncation(TruncationMode.DEALER);
    StringBuilder sb = new StringBuilder();
    for (String n : new String[] {"tiny-pkn", "tiny-relu", "lenet5-pkn", "lenet5-relu"}) {
      sb.append(of(ZooCache.get(n), Zoo.architecture(n), 2, dealer));
    }
    sb.append(
        of(
            ZooCache.get("tiny-pkn"),
            Zoo.architecture("tiny-pkn"),
            2,
            base.withTruncation(TruncationMode.LOCAL)));
    Model arch = allKinds();
    Model m =
        org.polyshare.models.calib.Calibrator.calibrate(
            Zoo.randomize(arch, 5), Zoo.sampleInputs(arch, 32, 6));
    sb.append(of(m, arch, 3, dealer));
    for (String n : large ? new String[] {"vgg16-pkn", "resnet18-pkn"} : new String[0]) {
      sb.append(of(ZooCache.get(n), Zoo.architecture(n), 1, dealer));
    }
    for (String n : Zoo.names()) {
      // the modes recorded before the restructure; EXACT's plans are pinned by its own tests
      for (TruncationMode tm : new TruncationMode[] {TruncationMode.DEALER, TruncationMode.LOCAL}) {
        sb.append(planOnly(n, 1, base.withTruncation(tm)));
        sb.append(planOnly(n, 3, base.withTruncation(tm)));
      }
    }
    return sb.toString();
  }
}
