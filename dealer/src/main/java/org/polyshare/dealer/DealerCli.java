package org.polyshare.dealer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.core.net.GracefulShutdown;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.ConfigDefaults;
import org.polyshare.core.ops.ConfigOption;
import org.polyshare.core.ops.DrainTimeoutOption;
import org.polyshare.core.ops.LogOptions;
import org.polyshare.core.ops.MetricsEndpoint;
import org.polyshare.core.ops.MetricsOptions;
import org.polyshare.core.ops.RootCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/dealer}: the dealer process and its certificate tooling. */
@Command(
    name = "dealer",
    mixinStandardHelpOptions = true,
    version = "PolyShare dealer 0.1",
    description =
        "Trusted dealer for PolyShare two-party inference: serves correlated randomness over mutual TLS.",
    subcommands = {
      DealerCli.Certs.class,
      DealerCli.Serve.class,
      LinkBench.class,
      CommandLine.HelpCommand.class
    })
public final class DealerCli extends RootCommand {
  @CommandLine.Mixin LogOptions logging;

  public DealerCli() {
    super("certs or serve");
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line, with the option defaults of {@code --config FILE} if {@code args} name one.
   */
  public static CommandLine commandLine(String... args) {
    return ConfigDefaults.install(new CommandLine(new DealerCli()), args);
  }

  @Command(
      name = "certs",
      mixinStandardHelpOptions = true,
      description =
          "Create a CA and one bundle per role (CA certificate + that role's key and certificate,"
              + " PEM, PKCS#8) in OUT/dealer, OUT/party0, OUT/party1; the CA key apart in OUT/ca.")
  static final class Certs implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description =
            "directory to write the bundles dealer/, party0/,"
                + " party1/ and the CA (ca/ca.pem, ca/ca-key.pem: keep it offline) into")
    Path out;

    @Option(
        names = "--hosts",
        split = ",",
        defaultValue = "localhost,127.0.0.1",
        description =
            "host names and IP addresses the processes run on, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> hosts;

    @Option(names = "--force", description = "overwrite existing certificates in --out")
    boolean force;

    @Override
    public Integer call() {
      if (CertBundles.exist(out) && !force) {
        System.err.println(
            "dealer certs: "
                + out
                + " already holds certificates; pass --force to replace them"
                + " (every process then needs its new bundle)");
        return 2;
      }
      CertBundles.write(out, hosts);
      Path abs = out.toAbsolutePath();
      System.out.println(
          "wrote a CA and one bundle per role to "
              + abs
              + " (hosts: "
              + String.join(", ", hosts)
              + ")");
      for (Role r : Role.values()) {
        System.out.println(
            "  "
                + CertBundles.bundle(abs, r)
                + "  -> the "
                + r.displayName()
                + "'s host (--certs)");
      }
      System.out.println(
          "  "
              + abs.resolve(CertBundles.CA_DIR)
              + "  -> keep offline: its ca-key.pem issues certificates");
      return 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Serve dealer sessions: each pairs party 0 and party 1 by session id and plan.")
  static final class Serve implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    @CommandLine.Mixin ConfigOption config;

    @CommandLine.Mixin MetricsOptions metricsOptions;

    @Option(
        names = "--port",
        required = true,
        description = "TCP port to listen on (0 = any free port, printed)")
    int port;

    @Option(
        names = "--certs",
        required = true,
        description =
            "the dealer's bundle from `dealer certs`: a directory"
                + " with ca.pem, dealer.pem and dealer-key.pem (OUT/dealer)")
    Path certs;

    @Option(
        names = "--pair-timeout",
        defaultValue = "60",
        description = "seconds a party waits for its peer to join (default: ${DEFAULT-VALUE})")
    int pairTimeoutSeconds;

    @Option(
        names = "--idle-timeout",
        defaultValue = "600",
        description =
            "seconds the dealer waits for a party's next plan (default: ${DEFAULT-VALUE})")
    int idleTimeoutSeconds;

    @CommandLine.Mixin DrainTimeoutOption drainTimeout;

    @Option(
        names = "--max-frame-mb",
        defaultValue = "256",
        description = "largest accepted message in MiB (default: ${DEFAULT-VALUE})")
    int maxFrameMb;

    @Override
    public Integer call() throws InterruptedException {
      TlsIdentity identity;
      try {
        drainTimeout.duration(); // refused before anything starts
        String warning = CertBundles.check(certs, Role.DEALER);
        if (warning != null) {
          LOG.warn("dealer serve: {}", warning);
        }
        identity = TlsIdentity.load(certs, Role.DEALER);
      } catch (IllegalArgumentException e) {
        System.err.println("dealer serve: " + e.getMessage());
        return 2;
      }
      LinkOptions link =
          LinkOptions.defaults()
              .withTimeout(Duration.ofSeconds(idleTimeoutSeconds))
              .withMaxPayload(Math.multiplyExact(maxFrameMb, 1 << 20));
      DealerServer.Settings settings =
          DealerServer.Settings.defaults()
              .withLink(link)
              .withPairTimeout(Duration.ofSeconds(pairTimeoutSeconds));
      NetTransport net = NetTransport.create();
      DealerServer server;
      MetricsEndpoint endpoint;
      try {
        server = new DealerServer(net, identity, port, settings, new DealerMetrics());
        endpoint = metricsOptions.start(server.metrics(), server::activeSessions);
      } catch (RuntimeException e) {
        System.err.println("dealer serve: " + e.getMessage());
        net.close();
        return 2;
      }
      GracefulShutdown shutdown =
          GracefulShutdown.install("dealer", server::drain, drainTimeout.duration(), endpoint);
      LOG.info(
          "dealer listening on port {} ({}, TLS 1.3, mutual authentication)",
          server.port(),
          net.nativeEpoll() ? "epoll" : "nio");
      shutdown.awaitSignal();
      return 0;
    }
  }
}
