package org.polyshare.party;

import static org.polyshare.party.PartyCli.checkCerts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.GracefulShutdown;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.ops.ConfigOption;
import org.polyshare.core.ops.DrainTimeoutOption;
import org.polyshare.core.ops.MetricsEndpoint;
import org.polyshare.core.ops.MetricsOptions;
import org.polyshare.party.PartyCli.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code party serve}: party 0 answering many clients' sessions. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Party 0 as a service: answer many clients' sessions (each client runs 'party run --id 1 --peer').")
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Mixin ConfigOption config;

  @CommandLine.Mixin MetricsOptions metricsOptions;

  @Option(names = "--id", defaultValue = "0", description = "must be 0: the model owner serves")
  int id;

  @Option(
      names = "--listen",
      required = true,
      description = "PORT to accept clients on (0 = any, printed)")
  int listen;

  @CommandLine.Mixin DealerOption dealer;

  @CommandLine.Mixin TruncationOption truncation;

  @Option(
      names = "--certs",
      required = true,
      description =
          "party 0's bundle from `dealer certs` (OUT/party0):"
              + " ca.pem, party0.pem, party0-key.pem")
  Path certs;

  @Option(names = "--model", required = true, description = "zoo name or FILE.onnx")
  String model;

  @Option(
      names = "--concurrent",
      defaultValue = "2",
      description =
          "sessions served at once; more clients are"
              + " turned away with a 'busy' error (default: ${DEFAULT-VALUE})")
  int concurrent;

  @Option(
      names = "--max-sessions",
      defaultValue = "0",
      description = "exit after this many sessions (default: 0 = serve until stopped)")
  int maxSessions;

  @Option(
      names = "--max-inferences",
      defaultValue = "1000",
      description = "most inferences one session may ask for (default: ${DEFAULT-VALUE})")
  int maxInferences;

  @CommandLine.Mixin ReluOption relu;

  @Option(
      names = "--max-batch",
      defaultValue = "16",
      description = "most inputs per inference a client may ask for (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @CommandLine.Mixin LinkTimingOptions timing;

  @CommandLine.Mixin DrainTimeoutOption drainTimeout;

  @CommandLine.Mixin MaterialDirOption materialDir;

  @Override
  public Integer call() throws Exception {
    PartyService.Settings settings;
    org.polyshare.core.net.TlsIdentity identity;
    org.polyshare.models.graph.Model m;
    org.polyshare.models.secure.SecureOptions options;
    try {
      options = PartyRunner.options(truncation.mode(), relu.mode());
      if (id != 0) {
        throw new IllegalArgumentException(
            "only party 0 (the model owner) serves; party 1 runs 'party run --id 1 --peer HOST:PORT'");
      }
      drainTimeout.duration(); // refused before anything starts
      HostPort d = dealer.address();
      settings =
          new PartyService.Settings(
              d.host(),
              d.port(),
              timing.timeout(),
              timing.connectDeadline(),
              concurrent,
              maxSessions,
              maxInferences,
              timing.profile(),
              maxBatch);
      checkCerts(certs, org.polyshare.core.net.Role.PARTY0);
      identity = org.polyshare.core.net.TlsIdentity.load(certs, org.polyshare.core.net.Role.PARTY0);
      m = PartyRunner.loadModel(model, 0);
    } catch (IllegalArgumentException | LinkException e) {
      System.err.println("party serve: " + e.getMessage());
      return 2;
    }
    materialDir.apply();
    try (NetTransport transport = NetTransport.create();
        PartyService service =
            new PartyService(
                transport, identity, m, options, listen, settings, new PartyMetrics());
        MetricsEndpoint endpoint =
            metricsOptions.start(service.metrics(), service::activeSessions)) {
      GracefulShutdown shutdown =
          GracefulShutdown.install("party 0", service::drain, drainTimeout.duration(), endpoint);
      while (!service.awaitFinished(Duration.ofHours(1))) {
        // serving
      }
      shutdown.serverStopped(); // after a SIGTERM: waits for the drain to end the JVM
      System.out.printf(
          "party 0: served %d sessions (%d failed)%n",
          service.completedSessions() + service.failedSessions(), service.failedSessions());
      return 0;
    } catch (LinkException | IllegalArgumentException e) {
      System.err.println("party 0: " + e.getMessage());
      return 1;
    }
  }
}
