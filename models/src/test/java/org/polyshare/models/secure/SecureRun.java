package org.polyshare.models.secure;

import java.time.Duration;
import org.polyshare.core.correlation.InProcessDealer;
import org.polyshare.core.link.TwoParties;
import org.polyshare.core.protocol.InProcessSession;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.graph.Model;

/** Runs a secure inference in-process: party 0 with {@code owner}'s weights, party 1 with the input. */
final class SecureRun {
  record Outcome(SecureModel.Result party0, SecureModel.Result party1,
      InProcessDealer.Traffic dealerAfterOffline1, InProcessDealer.Traffic dealerAfterOnline1) {}

  static Outcome run(Model owner, Model clientView, double[][] inputs,
      SecureModel.Options options) {
    SecureModel sm0 = SecureModel.compile(owner, inputs.length, options);
    SecureModel sm1 = SecureModel.compile(clientView, inputs.length, options);
    InProcessSession session = new InProcessSession(owner.fixedPoint(), options.truncation(),
        Duration.ofSeconds(120));
    InProcessDealer.Traffic[] dealer = new InProcessDealer.Traffic[2];
    TwoParties.Result<SecureModel.Result> r = session.run(
        p -> {
          SecureModel.Session s = sm0.open(p);
          s.offline();
          return s.online(null);
        },
        p -> {
          SecureModel.Session s = sm1.open(p);
          s.offline();
          dealer[0] = session.dealer().trafficTo(1);
          SecureModel.Result res = s.online(inputs);
          dealer[1] = session.dealer().trafficTo(1);
          return res;
        });
    return new Outcome(r.party0(), r.party1(), dealer[0], dealer[1]);
  }

  static SecureModel.Options defaults() {
    return SecureModel.Options.defaults().withTruncation(TruncationMode.DEALER);
  }

  private SecureRun() {}
}
