package org.polyshare.party;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.net.DrainReport;
import org.polyshare.core.net.GracefulShutdown;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.ops.ConfigDefaults;
import org.polyshare.core.ops.ConfigOption;
import org.polyshare.core.ops.LogOptions;
import org.polyshare.core.ops.MetricsEndpoint;
import org.polyshare.core.ops.MetricsOptions;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/party}: one party of a secure two-party inference. */
@Command(
    name = "party",
    mixinStandardHelpOptions = true,
    version = "PolyShare party 0.1",
    description =
        "One party of PolyShare secure inference (party 0 = model owner, party 1 = client).",
    subcommands = {PartyCli.Run.class, PartyCli.Serve.class, CommandLine.HelpCommand.class})
public final class PartyCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin LogOptions logging;

  @CommandLine.Mixin org.polyshare.core.ops.ThreadOptions threads;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run or serve");
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line, with the option defaults of {@code --config FILE} if {@code args} name one.
   */
  public static CommandLine commandLine(String... args) {
    return ConfigDefaults.install(new CommandLine(new PartyCli()), args);
  }

  static final class PeerChoice {
    @Option(
        names = "--peer",
        required = true,
        description = "HOST:PORT of the other party (which runs with --listen)")
    String peer;

    @Option(
        names = "--listen",
        required = true,
        description = "PORT to wait for the other party on (0 = any, printed)")
    Integer listen;
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Join a dealer session and run secure inference with the other party.")
  static final class Run implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption config;

    @Option(names = "--id", required = true, description = "0 (model owner) or 1 (client)")
    int id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PeerChoice peer;

    @Option(names = "--dealer", required = true, description = "HOST:PORT of the dealer")
    String dealer;

    @Option(
        names = "--certs",
        required = true,
        description =
            "this party's bundle from `dealer certs` (OUT/party<ID>):"
                + " ca.pem, party<ID>.pem, party<ID>-key.pem")
    Path certs;

    @Option(
        names = "--model",
        description =
            "party 0: zoo name (e.g. tiny-pkn, lenet5-pkn, resnet18-pkn) or FILE.onnx"
                + " with the weights. Party 1: none (party 0 sends the architecture), or an architecture-only file"
                + " (`bin/models export --architecture-only`) or zoo name that pins what it accepts; never a model with weights")
    String model;

    @Option(
        names = "--expect-architecture",
        paramLabel = "SHA256",
        description =
            "party 1: run only the architecture"
                + " with this hash (printed by party 0 and by `bin/models architecture MODEL`); refuse any other")
    String expectArchitecture;

    @Option(
        names = "--input",
        description =
            "party 1: an image (PNG/JPEG/BMP/GIF), an IDX file (MNIST), a binary"
                + " float32 tensor (PSF4) or a text file of numbers (default: a demo N(0,1) input)")
    Path input;

    @Option(
        names = "--index",
        defaultValue = "0",
        description = "IDX input: first image to use (default: ${DEFAULT-VALUE})")
    int index;

    @Option(
        names = "--mean",
        split = ",",
        description =
            "image/IDX input: per-channel mean subtracted after scaling pixels"
                + " to [0,1] (one value or one per channel; default 0)")
    double[] mean;

    @Option(
        names = "--std",
        split = ",",
        description = "image/IDX input: per-channel std divided by (default 1)")
    double[] std;

    @Option(
        names = "--json",
        description = "write this party's timings (and party 1's logits) as JSON")
    Path json;

    @Option(
        names = "--material-dir",
        description =
            "where garbled tables and labels wait between the offline and online phases (a fresh"
                + " subdirectory, removed at the session's end; default: the system's temporary"
                + " directory)")
    Path materialDir;

    @Option(
        names = "--session",
        description =
            "dealer session id (default: party 0 draws a random one and names it to"
                + " party 1; a session secret, never printed, guards it at the dealer)")
    String session;

    @Option(
        names = "--inferences",
        defaultValue = "1",
        description = "number of inferences (default: ${DEFAULT-VALUE})")
    int inferences;

    @CommandLine.Mixin TruncationOption truncation;

    @Option(
        names = "--batch",
        defaultValue = "1",
        description =
            "inputs per inference, run together in one secure evaluation (both parties give the same;"
                + " party 1 then reads inferences x batch inputs) (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
        names = "--relu",
        defaultValue = "gc",
        description =
            "ReLU and max-pool by gc (garbled circuits, Delphi-style; default) or fss (the dealer's"
                + " DCF keys); both parties must run the same (a mismatch is refused as a plan mismatch)")
    String relu;

    @Option(
        names = "--timeout",
        defaultValue = "120",
        description = "seconds any receive may wait (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(
        names = "--net",
        defaultValue = "loopback",
        description =
            "network profile to emulate on this party's links: loopback (none), lan (1 Gbit/s, 0.5 ms RTT) or wan (100 Mbit/s, 40 ms RTT) (default: ${DEFAULT-VALUE})")
    String net;

    @Option(
        names = "--connect-deadline",
        defaultValue = "60",
        description = "seconds to keep retrying connections (default: ${DEFAULT-VALUE})")
    int connectSeconds;

    @Override
    public Integer call() throws Exception {
      PartyRunner.Config config;
      try {
        checkCerts(certs, org.polyshare.core.net.Role.party(id));
        HostPort d = HostPort.parse(dealer, "--dealer");
        HostPort p = peer.peer == null ? null : HostPort.parse(peer.peer, "--peer");
        config =
            new PartyRunner.Config(
                id,
                p == null ? null : p.host(),
                p == null ? 0 : p.port(),
                peer.listen,
                d.host(),
                d.port(),
                certs,
                model,
                input,
                session,
                inferences,
                Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(connectSeconds),
                org.polyshare.core.link.NetworkProfile.named(net),
                new ClientInput.Options(index, mean, std),
                expectArchitecture,
                truncation.mode(),
                org.polyshare.models.secure.ReluMode.parse(relu),
                batch);
      } catch (IllegalArgumentException e) {
        System.err.println("party run: " + e.getMessage());
        return 2;
      }
      org.polyshare.core.store.MaterialStore.useDirectory(materialDir);
      try (NetTransport net = NetTransport.create()) {
        PartyRunner.Report r = PartyRunner.run(config, net, System.out, port -> {});
        if (json != null) {
          Files.writeString(json, PartyRunner.toJson(r));
        }
        return 0;
      } catch (LinkException | IllegalArgumentException | IllegalStateException e) {
        System.err.println("party " + id + ": " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description =
          "Party 0 as a service: answer many clients' sessions (each client runs 'party run --id 1 --peer').")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin ConfigOption config;

    @CommandLine.Mixin MetricsOptions metricsOptions;

    @Option(names = "--id", defaultValue = "0", description = "must be 0: the model owner serves")
    int id;

    @Option(
        names = "--listen",
        required = true,
        description = "PORT to accept clients on (0 = any, printed)")
    int listen;

    @Option(names = "--dealer", required = true, description = "HOST:PORT of the dealer")
    String dealer;

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

    @Option(
        names = "--relu",
        defaultValue = "gc",
        description =
            "ReLU and max-pool by gc (garbled circuits, Delphi-style; default) or fss (the dealer's"
                + " DCF keys); both parties must run the same (a mismatch is refused as a plan mismatch)")
    String relu;

    @Option(
        names = "--max-batch",
        defaultValue = "16",
        description = "most inputs per inference a client may ask for (default: ${DEFAULT-VALUE})")
    int maxBatch;

    @Option(
        names = "--timeout",
        defaultValue = "120",
        description = "seconds any receive may wait (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(
        names = "--net",
        defaultValue = "loopback",
        description =
            "network profile to emulate: loopback, lan or wan (default: ${DEFAULT-VALUE})")
    String net;

    @Option(
        names = "--connect-deadline",
        defaultValue = "60",
        description = "seconds to keep retrying the dealer (default: ${DEFAULT-VALUE})")
    int connectSeconds;

    @Option(
        names = "--drain-timeout",
        defaultValue = "30",
        description =
            "on SIGTERM, seconds running sessions may"
                + " take to finish before they are ended; exit code 0 if none had to be, 3 otherwise (default: ${DEFAULT-VALUE})")
    int drainTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
      PartyService.Settings settings;
      org.polyshare.core.net.TlsIdentity identity;
      org.polyshare.models.graph.Model m;
      org.polyshare.models.secure.SecureOptions options;
      try {
        options =
            PartyRunner.options(
                truncation.mode(), org.polyshare.models.secure.ReluMode.parse(relu));
        if (id != 0) {
          throw new IllegalArgumentException(
              "only party 0 (the model owner) serves; party 1 runs 'party run --id 1 --peer HOST:PORT'");
        }
        if (drainTimeoutSeconds < 0) {
          throw new IllegalArgumentException(
              "--drain-timeout must be >= 0 seconds, got " + drainTimeoutSeconds);
        }
        HostPort d = HostPort.parse(dealer, "--dealer");
        settings =
            new PartyService.Settings(
                d.host(),
                d.port(),
                Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(connectSeconds),
                concurrent,
                maxSessions,
                maxInferences,
                org.polyshare.core.link.NetworkProfile.named(net),
                maxBatch);
        checkCerts(certs, org.polyshare.core.net.Role.PARTY0);
        identity =
            org.polyshare.core.net.TlsIdentity.load(certs, org.polyshare.core.net.Role.PARTY0);
        m = PartyRunner.loadModel(model, 0);
      } catch (IllegalArgumentException | LinkException e) {
        System.err.println("party serve: " + e.getMessage());
        return 2;
      }
      try (NetTransport transport = NetTransport.create();
          PartyService service =
              new PartyService(
                  transport, identity, m, options, listen, settings, new PartyMetrics());
          MetricsEndpoint endpoint =
              metricsOptions.start(
                  service.metrics(),
                  () -> "{\"status\": \"up\", \"sessions\": " + service.activeSessions() + "}")) {
        GracefulShutdown shutdown =
            GracefulShutdown.install(
                "party 0",
                t -> {
                  DrainReport r = service.drain(t);
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  return r;
                },
                Duration.ofSeconds(drainTimeoutSeconds));
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

  /**
   * Refuses the whole output of {@code dealer certs} (every role's bundle and the CA key) as one
   * process's {@code --certs}, naming this role's bundle; warns when the directory holds the CA
   * key.
   */
  static void checkCerts(Path dir, org.polyshare.core.net.Role role) {
    Path own = dir.resolve(role.id());
    if (!Files.exists(dir.resolve(org.polyshare.core.net.CertificateAuthority.CA_CERT))
        && Files.isDirectory(own)) {
      throw new IllegalArgumentException(
          dir
              + " holds the certificate bundles of every role; give "
              + role.displayName()
              + " only its own: --certs "
              + own
              + " (copy that directory alone to this host)");
    }
    if (Files.exists(dir.resolve(org.polyshare.core.net.CertificateAuthority.CA_KEY))) {
      org.slf4j.LoggerFactory.getLogger(PartyCli.class)
          .warn(
              "{} also holds the CA key, which lets its holder issue certificates for any role;"
                  + " re-create the certificates with `dealer certs` and give each host only its own"
                  + " bundle",
              dir);
    }
  }

  record HostPort(String host, int port) {
    static HostPort parse(String s, String option) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + s + "'");
      }
      try {
        return new HostPort(
            s.substring(0, colon).replaceAll("^\\[|\\]$", ""),
            Integer.parseInt(s.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + s + "'");
      }
    }
  }
}
