package org.polyshare.party;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.polyshare.core.correlation.CorrelationPlan;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.RemoteCorrelationSource;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.models.secure.SecureModel;
import org.polyshare.models.zoo.Zoo;

/**
 * The third process of {@link IntruderProcessTest}: it holds a valid party-1 certificate, the
 * session id it read from the logs and the public architecture, so it presents the very plan party
 * 1 runs; only the session secret it must guess. Arguments: dealer port, certificate directory,
 * session id, model, inferences. Prints one line, {@code intruder: refused: MESSAGE} (exit 0) or
 * {@code intruder: served ...} (exit 1).
 */
final class Intruder {
  private Intruder() {}

  public static void main(String[] args) {
    int dealerPort = Integer.parseInt(args[0]);
    Path certs = Path.of(args[1]);
    String session = args[2];
    CorrelationPlan plan =
        SecureModel.compile(
                Zoo.architecture(args[3]), 1, PartyRunner.options(PartyRunner.TRUNCATION))
            .plan(Integer.parseInt(args[4]));
    byte[] guess = new byte[SessionStart.SECRET_BYTES];
    new SecureRandom().nextBytes(guess);
    Duration t = Duration.ofSeconds(30);
    try (NetTransport net = NetTransport.create(1);
        RemoteCorrelationSource dealer =
            RemoteCorrelationSource.connect(
                net,
                "localhost",
                dealerPort,
                TlsIdentity.load(certs, Role.PARTY1),
                session,
                guess,
                plan,
                LinkOptions.defaults().withTimeout(t),
                t)) {
      dealer.next(plan.requests().get(0));
      System.out.println("intruder: served a correlation of session '" + session + "'");
      System.exit(1);
    } catch (LinkException e) {
      System.out.println("intruder: refused: " + e.getMessage());
    }
  }
}
