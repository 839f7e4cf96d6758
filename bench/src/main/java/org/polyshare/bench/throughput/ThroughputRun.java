package org.polyshare.bench.throughput;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.bench.compare.SeparateJvmRunner.Jvm;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.onnx.OnnxImporter;
import org.polyshare.models.zoo.Zoo;

/**
 * The load of {@code bench throughput}: K concurrent party-1 client processes ({@code party run
 * --id 1}), each one session of Q queries of B inputs, against party 0's service ({@code party
 * serve}). Either this run starts the dealer and {@code replicas} services itself (real JVMs on
 * loopback, through {@link SeparateJvmRunner}), or it is given the addresses of running services
 * (replicas behind which no load balancer need sit: the clients are spread over them round-robin)
 * with their dealer and the clients' certificate bundle.
 */
public final class ThroughputRun {
  private ThroughputRun() {}

  private static final Pattern SERVING = Pattern.compile("serving model '.*' on port (\\d+)");

  /**
   * What to run. {@code services} empty: start the dealer and {@code replicas} services here;
   * otherwise {@code dealer} (HOST:PORT) and {@code certs} (party 1's bundle) name what they use.
   */
  public record Settings(
      String model,
      int clients,
      int queries,
      int batch,
      NetworkProfile net,
      TruncationMode truncation,
      List<String> services,
      int replicas,
      String dealer,
      Path certs,
      Duration timeout,
      List<String> jvmOptions) {
    public Settings {
      if (clients < 1 || queries < 1 || batch < 1 || replicas < 1) {
        throw new IllegalArgumentException(
            "--clients, --queries, --batch and --replicas must be >= 1");
      }
      services = List.copyOf(services);
      if (!services.isEmpty() && (dealer == null || certs == null)) {
        throw new IllegalArgumentException(
            "with --service, name the services' dealer (--dealer HOST:PORT) and party 1's"
                + " certificate bundle (--certs DIR)");
      }
      if (!services.isEmpty() && replicas != 1) {
        throw new IllegalArgumentException(
            "--replicas starts services here; with --service, list each replica instead");
      }
    }
  }

  /** Runs the load and checks every answer; {@code log} gets progress lines. */
  public static ThroughputResult run(Settings s, Path root, PrintStream log)
      throws IOException, InterruptedException {
    Model model = load(s.model());
    if (!s.services().isEmpty()) {
      Path jar = root.resolve("party/target/polyshare-party.jar");
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(
            "the clients need " + jar + "; build it with 'mvn -B -ntp -DskipTests package'");
      }
      Path work = Files.createTempDirectory("polyshare-throughput-");
      try {
        return clients(
            s, model, s.services(), s.dealer(), s.certs(), work, args -> launch(s, jar, args), log);
      } finally {
        try (var files = Files.walk(work)) { // inputs and client reports only
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    try (SeparateJvmRunner runner =
        new SeparateJvmRunner(root, s.net(), s.timeout(), s.jvmOptions())
            .truncation(s.truncation())) {
      List<Jvm> services = new ArrayList<>();
      try {
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < s.replicas(); r++) {
          Jvm service = runner.launchParty(serveArgs(s, runner), "service " + r);
          services.add(service);
          addresses.add("127.0.0.1:" + service.awaitNumber(SERVING, Duration.ofSeconds(300)));
          log.println("party 0 service " + r + " listening at " + addresses.get(r));
        }
        return clients(
            s,
            model,
            addresses,
            runner.dealerAddress(),
            runner.certs().resolve("party1"),
            runner.workDir(),
            args -> runner.launchParty(args, "client " + args.get(args.indexOf("--session") + 1)),
            log);
      } finally {
        services.forEach(Jvm::destroy);
      }
    }
  }

  private static List<String> serveArgs(Settings s, SeparateJvmRunner runner) {
    int perReplica = (s.clients() + s.replicas() - 1) / s.replicas();
    return List.of(
        "serve",
        "--listen",
        "0",
        "--dealer",
        runner.dealerAddress(),
        "--certs",
        runner.certs().resolve("party0").toString(),
        "--model",
        s.model(),
        "--truncation",
        mode(s),
        "--net",
        s.net().name(),
        "--concurrent",
        Integer.toString(perReplica),
        "--max-inferences",
        Integer.toString(s.queries()),
        "--max-batch",
        Integer.toString(s.batch()),
        "--timeout",
        Long.toString(s.timeout().toSeconds()));
  }

  private interface Launcher {
    Jvm launch(List<String> args) throws IOException;
  }

  private static Jvm launch(Settings s, Path jar, List<String> args) throws IOException {
    return Jvm.launch(
        SeparateJvmRunner.javaCommand(s.jvmOptions(), jar, args),
        "client " + args.get(args.indexOf("--session") + 1));
  }

  /** Starts the K clients at once, waits for all, reads their reports and checks each answer. */
  private static ThroughputResult clients(
      Settings s,
      Model model,
      List<String> services,
      String dealer,
      Path certs,
      Path work,
      Launcher launcher,
      PrintStream log)
      throws IOException, InterruptedException {
    Architecture arch = Architecture.of(model);
    List<double[][]> inputs = new ArrayList<>();
    List<Jvm> jvms = new ArrayList<>();
    List<Path> reports = new ArrayList<>();
    try {
      for (int c = 0; c < s.clients(); c++) {
        double[][] xs = Zoo.sampleInputs(model, s.queries() * s.batch(), 1000 + c);
        for (double[] x : xs) {
          arch.inputRange().clamp(x); // the service refuses inputs outside its published range
        }
        inputs.add(xs);
        Path in = work.resolve("client-" + c + "-input.txt");
        SeparateJvmRunner.writeInputs(in, List.of(xs));
        Path json = work.resolve("client-" + c + ".json");
        reports.add(json);
        jvms.add(
            launcher.launch(
                clientArgs(s, services.get(c % services.size()), dealer, certs, in, json, c)));
      }
      log.printf(
          Locale.ROOT,
          "%d clients x %d queries of batch %d against %s%n",
          s.clients(),
          s.queries(),
          s.batch(),
          String.join(", ", services));
      long deadline = System.nanoTime() + s.timeout().toNanos() * (s.queries() + 2);
      for (Jvm j : jvms) {
        j.awaitExit(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
    } finally {
      jvms.forEach(Jvm::destroy);
    }
    List<ClientReport> clients = new ArrayList<>();
    for (int c = 0; c < s.clients(); c++) {
      clients.add(
          ClientReport.of(
              services.get(c % services.size()),
              JsonParser.parseString(Files.readString(reports.get(c))).getAsJsonObject(),
              inputs.get(c),
              s.batch()));
    }
    return ThroughputResult.of(s, services, model, clients);
  }

  private static List<String> clientArgs(
      Settings s, String service, String dealer, Path certs, Path input, Path json, int c) {
    return List.of(
        "run",
        "--id",
        "1",
        "--peer",
        service,
        "--dealer",
        dealer,
        "--certs",
        certs.toString(),
        "--session",
        "tp-" + c,
        "--inferences",
        Integer.toString(s.queries()),
        "--batch",
        Integer.toString(s.batch()),
        "--input",
        input.toString(),
        "--json",
        json.toString(),
        "--truncation",
        mode(s),
        "--net",
        s.net().name(),
        "--timeout",
        Long.toString(s.timeout().toSeconds()),
        "--connect-deadline",
        "120");
  }

  private static String mode(Settings s) {
    return s.truncation().name().toLowerCase(Locale.ROOT);
  }

  /** A zoo name, or an ONNX file with the weights the service runs (for the plaintext check). */
  static Model load(String nameOrFile) throws IOException {
    return nameOrFile.toLowerCase(Locale.ROOT).endsWith(".onnx")
        ? OnnxImporter.read(Path.of(nameOrFile))
        : Zoo.load(nameOrFile);
  }
}
