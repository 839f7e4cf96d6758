package org.polyshare.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.polyshare.bench.cli.ReportOutput;
import org.polyshare.bench.compare.SeparateJvmRunner;
import org.polyshare.bench.harness.Report;
import org.polyshare.bench.throughput.ThroughputResult;
import org.polyshare.bench.throughput.ThroughputRun;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.protocol.TruncationMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench throughput}: inferences per second of party 0's service and the latency percentiles
 * of its clients' queries, K concurrent client processes each sending Q queries ({@link
 * ThroughputRun}); this class only parses and reports. Exit code 1 when an answer fails its check.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description =
        "Throughput of party 0's service (party serve): K concurrent party-1 client processes x Q"
            + " queries of batch B; inferences/s and latency p50/p90/p99, every answer checked"
            + " against plaintext.")
final class ThroughputCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = "tiny-pkn",
      description = "zoo name or FILE.onnx the service runs (default: ${DEFAULT-VALUE})")
  String model;

  @Option(
      names = "--clients",
      defaultValue = "2",
      description = "K: concurrent client processes (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(
      names = "--queries",
      defaultValue = "10",
      description = "Q: queries per client, one session each client (default: ${DEFAULT-VALUE})")
  int queries;

  @Option(
      names = "--batch",
      defaultValue = "1",
      description = "B: inputs per query, one secure evaluation (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--net",
      defaultValue = "loopback",
      description =
          "network profile every process emulates on its links: loopback, lan or wan"
              + " (default: ${DEFAULT-VALUE})")
  String net;

  @Option(
      names = "--truncation",
      defaultValue = "exact",
      description = "exact (answers bit-checked), dealer or local (default: ${DEFAULT-VALUE})")
  String truncation;

  @Option(
      names = "--service",
      paramLabel = "HOST:PORT",
      description =
          "a running party 0 service (repeatable: replicas; clients are spread round-robin)."
              + " Default: start the dealer and --replicas services here")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--replicas",
      defaultValue = "1",
      description = "without --service: services to start here (default: ${DEFAULT-VALUE})")
  int replicas;

  @Option(
      names = "--dealer",
      paramLabel = "HOST:PORT",
      description = "with --service: the dealer those services use")
  String dealer;

  @Option(
      names = "--certs",
      description = "with --service: party 1's certificate bundle (dealer certs OUT/party1)")
  Path certs;

  @Option(
      names = "--timeout",
      defaultValue = "300",
      description = "seconds any receive may wait (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(
      names = "--jvm-opt",
      description = "an option for the dealer, service and client JVMs (repeatable)")
  List<String> jvmOptions = new ArrayList<>();

  @Mixin ReportOutput output;

  @Option(names = "--markdown", description = "also write the results as a Markdown table")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    ThroughputRun.Settings s =
        new ThroughputRun.Settings(
            model,
            clients,
            queries,
            batch,
            NetworkProfile.named(net),
            TruncationMode.named(truncation),
            services,
            replicas,
            dealer,
            certs,
            Duration.ofSeconds(timeoutSeconds),
            jvmOptions);
    ThroughputResult result = ThroughputRun.run(s, SeparateJvmRunner.projectRoot(), System.out);
    Report r = result.report();
    output.emit(r);
    if (markdown != null) {
      Report.write(markdown, r.markdown());
      System.out.println("wrote " + markdown);
    }
    if (!result.allAnswersCorrect()) {
      System.err.println(
          "bench throughput: "
              + (result.inputs() - result.answersMatchingPlaintext())
              + " answers failed the plaintext check, "
              + (result.inputs() - result.answersBitExact())
              + " differ from the exact int64 reference");
      return 1;
    }
    return 0;
  }
}
