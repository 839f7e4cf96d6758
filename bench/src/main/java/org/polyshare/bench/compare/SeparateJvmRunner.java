package org.polyshare.bench.compare;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.polyshare.core.link.NetworkProfile;
import org.polyshare.core.ops.ProcessLines;
import org.polyshare.core.protocol.TruncationMode;
import org.polyshare.models.secure.OfflineSchedule;
import org.polyshare.models.secure.ReluMode;

/**
 * Runs one variant as three JVMs on this host, over TLS on loopback: {@code dealer serve} and two
 * {@code party run} processes (the shaded jars of the {@code dealer} and {@code party} modules),
 * with fresh certificates and ephemeral ports. Each party applies the network profile to its own
 * links ({@code --net}) and writes its JSON report, which this runner reads back. Shared by {@code
 * bench compare} and {@code bench accuracy}.
 */
public final class SeparateJvmRunner implements AutoCloseable {
  private static final Pattern DEALER_PORT = Pattern.compile("dealer listening on port (\\d+)");
  private static final Pattern PEER_PORT = Pattern.compile("listening for party 1 on port (\\d+)");
  private static final Pattern INFERENCE = Pattern.compile("party 1: inference (\\d+):");

  private final Path dealerJar;
  private final Path partyJar;
  private final NetworkProfile net;
  private final Duration timeout;
  private final List<String> jvmOptions;
  private final Path work;
  private final Path certs;
  private final Jvm dealer;
  private final int dealerPort;

  /** The parties' {@code --truncation}: dealer, as the in-process runner's default, unless set. */
  private TruncationMode truncation = TruncationMode.DEALER;

  /** The parties' {@code --relu}: gc unless set. */
  private ReluMode relu = ReluMode.GC;

  /** The parties' {@code --batch}: inputs per secure inference, 1 unless set. */
  private int batch = 1;

  /** The parties' {@code --offline}: streamed (as {@code party run} defaults) unless set. */
  private OfflineSchedule schedule = OfflineSchedule.STREAMED;

  /** Child JVMs still running, stopped by a shutdown hook if this JVM is interrupted (Ctrl-C). */
  private static final List<Process> CHILDREN = Collections.synchronizedList(new ArrayList<>());

  private final Thread reaper =
      new Thread(
          () -> {
            synchronized (CHILDREN) {
              CHILDREN.forEach(Process::destroy);
            }
          },
          "compare-reaper");

  /** The root of the build: the directory holding {@code dealer/} and {@code party/}. */
  public static Path projectRoot() {
    String home = System.getenv("POLYSHARE_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    try {
      // bench/target/polyshare-bench.jar -> root; from classes (tests): bench/target/classes ->
      // root
      Path self =
          Path.of(
              SeparateJvmRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path p = self.toAbsolutePath();
      for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
        if (Files.isDirectory(p.resolve("party")) && Files.isDirectory(p.resolve("dealer"))) {
          return p;
        }
      }
    } catch (Exception e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  public SeparateJvmRunner(Path root, NetworkProfile net, Duration timeout, List<String> jvmOptions)
      throws IOException, InterruptedException {
    this.dealerJar = root.resolve("dealer/target/polyshare-dealer.jar");
    this.partyJar = root.resolve("party/target/polyshare-party.jar");
    for (Path jar : List.of(dealerJar, partyJar)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(
            "separate-JVM mode needs "
                + jar
                + " (the dealer and party"
                + " modules); build them with 'mvn -B -ntp -DskipTests package' in "
                + root
                + " or set POLYSHARE_HOME, or run in process (compare --in-process, accuracy"
                + " --mode in_process)");
      }
    }
    this.net = net;
    this.timeout = timeout;
    this.jvmOptions = jvmOptions;
    this.work = Files.createTempDirectory("polyshare-compare-");
    this.certs = work.resolve("certs");
    Runtime.getRuntime().addShutdownHook(reaper);
    Jvm mk =
        Jvm.launch(command(dealerJar, List.of("certs", "--out", certs.toString())), "dealer certs");
    mk.awaitExit(Duration.ofSeconds(120));
    this.dealer =
        Jvm.launch(
            lowPriority(
                dealerNice(),
                command(
                    dealerJar,
                    List.of(
                        "serve",
                        "--port",
                        "0",
                        "--certs",
                        certs.resolve("dealer").toString(),
                        "--idle-timeout",
                        Long.toString(timeout.toSeconds())))),
            "dealer");
    this.dealerPort = dealer.awaitNumber(DEALER_PORT, Duration.ofSeconds(120));
  }

  /**
   * System property: the niceness of the dealer JVM (default {@value #DEFAULT_DEALER_NICE}; 0 runs
   * it at the parties' priority). The dealer is a third host in a deployment, and the in-process
   * runner deals inside a party's offline step, outside the online clock. Here it shares this
   * host's cores with both parties and streams the next layers' material (fixed-mask conv products,
   * PRG expansions: about one plaintext forward of work per inference) while they are online, so at
   * equal priority it takes the parties' cores away in the very phase being compared. At low
   * priority it computes while they wait (on the emulated wire, at the barriers) and otherwise
   * yields; its messages still arrive ahead of use, bounded by the links' back-pressure. Low
   * priority is Linux's idle class where {@code chrt} exists: nice 19 still leaves the dealer a
   * share of a busy core, and on a CPU where party 0's products fill both cores (AVX2, JDK 17) that
   * share cost ResNet-18's PKN online 217–334 ms against 152–175 ms idle-class
   * (docs/benchmarks.md).
   */
  public static final String DEALER_NICE = "polyshare.bench.dealerNice";

  static final int DEFAULT_DEALER_NICE = 19;

  static int dealerNice() {
    return Integer.getInteger(DEALER_NICE, DEFAULT_DEALER_NICE);
  }

  /**
   * {@code cmd} at low priority when niceness > 0: under {@code chrt --idle 0} (the idle scheduling
   * class, run only when no other thread wants the core; niceness has no meaning there) where
   * {@code /usr/bin/chrt} exists, else under {@code nice -n niceness} where {@code /usr/bin/nice}
   * exists, else as it is.
   */
  static List<String> lowPriority(int niceness, List<String> cmd) {
    return lowPriority(
        niceness, cmd, Files.isExecutable(Path.of(CHRT)), Files.isExecutable(Path.of(NICE)));
  }

  static final String CHRT = "/usr/bin/chrt";
  static final String NICE = "/usr/bin/nice";

  static List<String> lowPriority(
      int niceness, List<String> cmd, boolean hasChrt, boolean hasNice) {
    if (niceness <= 0 || (!hasChrt && !hasNice)) {
      return cmd;
    }
    List<String> low =
        new ArrayList<>(
            hasChrt
                ? List.of(CHRT, "--idle", "0")
                : List.of(NICE, "-n", Integer.toString(niceness)));
    low.addAll(cmd);
    return low;
  }

  private List<String> command(Path jar, List<String> args) {
    return javaCommand(jvmOptions, jar, args);
  }

  /**
   * {@code java --add-modules jdk.incubator.vector OPTIONS -jar JAR ARGS} with this JVM's java: the
   * module gives the ring kernels their Vector API loops (RingKernels); the JVM then prints one
   * "WARNING: Using incubator modules" line first, which no output reader here matches.
   */
  public static List<String> javaCommand(List<String> jvmOptions, Path jar, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-modules");
    cmd.add("jdk.incubator.vector");
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    return cmd;
  }

  /** A {@code bin/party} JVM with {@code args}, its output collected (stopped on close). */
  public Jvm launchParty(List<String> args, String name) throws IOException {
    return Jvm.launch(command(partyJar, args), name);
  }

  /** The dealer this runner started, as {@code HOST:PORT}. */
  public String dealerAddress() {
    return "127.0.0.1:" + dealerPort;
  }

  /**
   * The certificates made for this run: one bundle per role ({@code dealer}, {@code party0}, ...).
   */
  public Path certs() {
    return certs;
  }

  /** The parties' {@code --truncation}. */
  public TruncationMode truncationMode() {
    return truncation;
  }

  /** The two party reports of one variant, read from their {@code --json} files. */
  public record Reports(JsonObject party0, JsonObject party1) {}

  /** This runner's temporary directory (certificates, inputs, reports), removed by close(). */
  public Path workDir() {
    return work;
  }

  /**
   * Runs {@code inputs.size()} inferences of {@code model} (batch 1) between two party processes;
   * party 1 reads the inputs from a file written here.
   */
  Reports run(String model, List<double[]> inputs, Progress progress, String label, int warmup)
      throws IOException, InterruptedException {
    Path input = work.resolve(model + "-input.txt");
    writeInputs(input, inputs);
    int[] seen = {0};
    Reports r =
        runParties(
            model,
            "compare-"
                + model
                + (relu == ReluMode.GC ? "" : "-" + relu.name().toLowerCase(Locale.ROOT)),
            input,
            inputs.size(),
            k -> {
              progress.step();
              progress.step();
              if (k + 1 < inputs.size()) {
                progress.begin(
                    label
                        + ": "
                        + (k + 1 < warmup ? "warm-up " + (k + 2) : "rep " + (k + 1 - warmup + 1))
                        + " (separate JVMs)");
              }
              seen[0]++;
            });
    for (; seen[0] < inputs.size(); seen[0]++) {
      progress.step();
      progress.step();
    }
    return r;
  }

  /** Party 1's input file in the {@code party run --input} text form: one number a line. */
  public static void writeInputs(Path file, List<double[]> inputs) throws IOException {
    StringBuilder text = new StringBuilder();
    for (double[] x : inputs) {
      for (double v : x) {
        text.append(v).append('\n');
      }
    }
    Files.writeString(file, text);
  }

  /**
   * One dealer session of {@code inferences} inferences between two fresh party JVMs: {@code model}
   * is a zoo name or an ONNX file, given to party 0 only (party 1 gets no model: party 0 sends it
   * the architecture), {@code input} party 1's text input file. Each party gets its own certificate
   * bundle. {@code onInference} sees the index of each inference party 1 reports finished (polled,
   * from this thread).
   */
  /**
   * Runs the parties' sessions in {@code mode} (both parties get the same {@code --truncation}).
   */
  public SeparateJvmRunner truncation(TruncationMode mode) {
    this.truncation = mode;
    return this;
  }

  /**
   * Runs the parties' sessions with ReLU and max-pool by {@code mode} (both get {@code --relu}).
   */
  public SeparateJvmRunner relu(ReluMode mode) {
    this.relu = mode;
    return this;
  }

  /** Runs each inference's offline phase by {@code schedule} (both get {@code --offline}). */
  public SeparateJvmRunner schedule(OfflineSchedule schedule) {
    this.schedule = schedule;
    return this;
  }

  /**
   * Runs {@code size} inputs per secure inference (both get {@code --batch}); party 1's input file
   * then holds {@code inferences × size} inputs.
   */
  public SeparateJvmRunner batch(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + size);
    }
    this.batch = size;
    return this;
  }

  public Reports runParties(
      String model, String session, Path input, int inferences, IntConsumer onInference)
      throws IOException, InterruptedException {
    String tag = session.replaceAll("[^A-Za-z0-9_.-]", "_");
    Path json0 = work.resolve(tag + "-p0.json");
    Path json1 = work.resolve(tag + "-p1.json");
    List<String> common =
        List.of(
            "--dealer",
            "127.0.0.1:" + dealerPort,
            "--inferences",
            Integer.toString(inferences),
            "--net",
            net.name(),
            "--timeout",
            Long.toString(timeout.toSeconds()),
            "--connect-deadline",
            "120",
            "--truncation",
            truncation.name().toLowerCase(java.util.Locale.ROOT),
            "--relu",
            relu.name().toLowerCase(java.util.Locale.ROOT),
            "--batch",
            Integer.toString(batch),
            "--offline",
            schedule.name().toLowerCase(java.util.Locale.ROOT),
            "--threads",
            Integer.toString(org.polyshare.core.kernel.RingThreads.shared().threads()));
    List<String> a0 =
        new ArrayList<>(
            List.of(
                "run",
                "--id",
                "0",
                "--listen",
                "0",
                "--json",
                json0.toString(),
                "--certs",
                certs.resolve("party0").toString(),
                "--model",
                model,
                "--session",
                session));
    a0.addAll(common);
    Jvm p0 = Jvm.launch(command(partyJar, a0), "party 0");
    Jvm p1 = null;
    try {
      int peerPort = p0.awaitNumber(PEER_PORT, Duration.ofSeconds(300));
      List<String> a1 =
          new ArrayList<>(
              List.of(
                  "run",
                  "--id",
                  "1",
                  "--peer",
                  "127.0.0.1:" + peerPort,
                  "--input",
                  input.toString(),
                  "--json",
                  json1.toString(),
                  "--certs",
                  certs.resolve("party1").toString()));
      a1.addAll(common);
      p1 = Jvm.launch(command(partyJar, a1), "party 1");
      long deadline = System.nanoTime() + timeout.toNanos() * (inferences + 2);
      int seen = 0;
      while (p1.process.isAlive() && System.nanoTime() < deadline) {
        for (int now = p1.count(INFERENCE); seen < now; seen++) {
          onInference.accept(seen);
        }
        Thread.sleep(200);
      }
      try {
        p1.awaitExit(Duration.ofSeconds(5));
        p0.awaitExit(Duration.ofSeconds(120));
      } catch (IllegalStateException e) {
        throw withDealerCause(e, session);
      }
      for (int now = p1.count(INFERENCE); seen < now; seen++) {
        onInference.accept(seen);
      }
    } finally {
      p0.destroy();
      if (p1 != null) {
        p1.destroy();
      }
    }
    return new Reports(
        JsonParser.parseString(Files.readString(json0)).getAsJsonObject(),
        JsonParser.parseString(Files.readString(json1)).getAsJsonObject());
  }

  /**
   * A party's failure with the dealer's own account of the session appended: a party hears only the
   * dealer's fixed sentence (no values cross the link), the cause is in the dealer's log.
   */
  private IllegalStateException withDealerCause(IllegalStateException e, String session)
      throws InterruptedException {
    String failed = "dealer: session '" + session + "' failed";
    List<String> why = dealer.linesContaining(failed);
    for (int wait = 0; why.isEmpty() && wait < 20; wait++) {
      Thread.sleep(100); // the dealer logs before it ends the links; its reader may lag
      why = dealer.linesContaining(failed);
    }
    if (why.isEmpty()) {
      return e;
    }
    return new IllegalStateException(
        e.getMessage() + "\nthe dealer's log says:\n" + String.join("\n", why), e);
  }

  @Override
  public void close() {
    dealer.destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs
    }
    try (var files = Files.walk(work)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }

  /** A child JVM whose output lines are collected (and kept for error messages). */
  public static final class Jvm {
    final Process process;
    final String name;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private Jvm(Process process, String name) {
      this.process = process;
      this.name = name;
    }

    public static Jvm launch(List<String> cmd, String name) throws IOException {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      CHILDREN.add(p);
      p.onExit().thenRun(() -> CHILDREN.remove(p));
      Jvm j = new Jvm(p, name);
      ProcessLines.collect(p, j.lines, "compare-" + name.replace(' ', '-') + "-output");
      return j;
    }

    public String tail() {
      synchronized (lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      }
    }

    /** The collected output lines holding {@code text}. */
    List<String> linesContaining(String text) {
      List<String> hits = new ArrayList<>();
      synchronized (lines) {
        for (String l : lines) {
          if (l.contains(text)) {
            hits.add(l);
          }
        }
      }
      return hits;
    }

    int count(Pattern p) {
      int n = 0;
      synchronized (lines) {
        for (String l : lines) {
          if (p.matcher(l).find()) {
            n++;
          }
        }
      }
      return n;
    }

    public int awaitNumber(Pattern p, Duration max) throws InterruptedException {
      long end = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < end) {
        synchronized (lines) {
          for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
              return Integer.parseInt(m.group(1));
            }
          }
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException(
          name
              + " did not print '"
              + p.pattern()
              + "'"
              + (process.isAlive()
                  ? " within " + max.toSeconds() + " s"
                  : " (it exited with " + process.exitValue() + ")")
              + "; its last output:\n"
              + tail());
    }

    public void awaitExit(Duration max) throws InterruptedException {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            name + " did not finish within " + max.toSeconds() + " s; its last output:\n" + tail());
      }
      Thread.sleep(100); // let the output reader catch the last lines
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.format(
                Locale.ROOT,
                "%s exited with %d; its last output:%n%s",
                name,
                process.exitValue(),
                tail()));
      }
    }

    public void destroy() {
      if (process.isAlive()) {
        process.destroy();
        try {
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
    }
  }
}
