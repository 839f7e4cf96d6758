package org.polyshare.dealer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.polyshare.core.net.CertificateAuthority;
import org.polyshare.core.net.LinkOptions;
import org.polyshare.core.net.NetTransport;
import org.polyshare.core.net.Role;
import org.polyshare.core.net.TlsIdentity;
import org.polyshare.core.ops.ConfigDefaults;
import org.polyshare.core.ops.ConfigOption;
import org.polyshare.core.ops.LogOptions;
import org.polyshare.core.ops.MetricsEndpoint;
import org.polyshare.core.ops.MetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/dealer}: the dealer process and its certificate tooling. */
@Command(name = "dealer", mixinStandardHelpOptions = true, version = "PolyShare dealer 0.1",
    description = "Trusted dealer for PolyShare two-party inference: serves correlated randomness over mutual TLS.",
    subcommands = {DealerCli.Certs.class, DealerCli.Serve.class, LinkBench.class, CommandLine.HelpCommand.class})
public final class DealerCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  LogOptions logging;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: certs or serve");
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /** The command line, with the option defaults of {@code --config FILE} if {@code args} name one. */
  public static CommandLine commandLine(String... args) {
    return ConfigDefaults.install(new CommandLine(new DealerCli()), args);
  }

  @Command(name = "certs", mixinStandardHelpOptions = true,
      description = "Create a CA and keys + certificates for the dealer, party 0 and party 1 (PEM, PKCS#8).")
  static final class Certs implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "directory to write ca.pem, dealer.pem, party0.pem, party1.pem and their -key.pem files")
    Path out;

    @Option(names = "--hosts", split = ",", defaultValue = "localhost,127.0.0.1",
        description = "host names and IP addresses the processes run on, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> hosts;

    @Option(names = "--force", description = "overwrite existing certificates in --out")
    boolean force;

    @Override
    public Integer call() {
      if (Files.exists(out.resolve(CertificateAuthority.CA_CERT)) && !force) {
        System.err.println("dealer certs: " + out + " already holds a CA; pass --force to replace it"
            + " (every process then needs the new files)");
        return 2;
      }
      CertificateAuthority.createAll(out, hosts);
      System.out.println("wrote a CA and certificates for dealer, party0, party1 to " + out.toAbsolutePath()
          + " (hosts: " + String.join(", ", hosts) + ")");
      System.out.println("give each host ca.pem and its own <role>.pem + <role>-key.pem; keep ca-key.pem offline");
      return 0;
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Serve dealer sessions: each pairs party 0 and party 1 by session id and plan.")
  static final class Serve implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--port", required = true, description = "TCP port to listen on (0 = any free port, printed)")
    int port;

    @Option(names = "--certs", required = true, description = "directory with ca.pem, dealer.pem and dealer-key.pem")
    Path certs;

    @Option(names = "--pair-timeout", defaultValue = "60", description = "seconds a party waits for its peer to join (default: ${DEFAULT-VALUE})")
    int pairTimeoutSeconds;

    @Option(names = "--idle-timeout", defaultValue = "600", description = "seconds the dealer waits for a party's next plan (default: ${DEFAULT-VALUE})")
    int idleTimeoutSeconds;

    @Option(names = "--max-frame-mb", defaultValue = "256", description = "largest accepted message in MiB (default: ${DEFAULT-VALUE})")
    int maxFrameMb;

    @Override
    public Integer call() throws InterruptedException {
      TlsIdentity identity;
      try {
        identity = TlsIdentity.load(certs, Role.DEALER);
      } catch (IllegalArgumentException e) {
        System.err.println("dealer serve: " + e.getMessage());
        return 2;
      }
      LinkOptions link = LinkOptions.defaults()
          .withTimeout(Duration.ofSeconds(idleTimeoutSeconds))
          .withMaxPayload(Math.multiplyExact(maxFrameMb, 1 << 20));
      DealerServer.Settings settings = DealerServer.Settings.defaults()
          .withLink(link)
          .withPairTimeout(Duration.ofSeconds(pairTimeoutSeconds));
      NetTransport net = NetTransport.create();
      DealerServer server;
      MetricsEndpoint endpoint;
      try {
        server = new DealerServer(net, identity, port, settings, new DealerMetrics());
        endpoint = metricsOptions.start(server.metrics(), () -> "{\"status\": \"up\", \"sessions\": "
            + server.activeSessions() + "}");
      } catch (RuntimeException e) {
        System.err.println("dealer serve: " + e.getMessage());
        net.close();
        return 2;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (endpoint != null) {
          endpoint.close();
        }
        server.close();
        net.close();
        stopped.countDown();
      }, "dealer-shutdown"));
      LOG.info("dealer listening on port {} ({}, TLS 1.3, mutual authentication)", server.port(),
          net.nativeEpoll() ? "epoll" : "nio");
      stopped.await();
      return 0;
    }
  }
}
