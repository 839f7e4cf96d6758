package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.polyshare.core.net.CertificateAuthority;
import org.polyshare.dealer.DealerCli;

/**
 * Dealer, party 0 and party 1 on three "hosts": three network namespaces joined by a bridge (veth
 * pairs), made by {@code bin/netns-hosts}; each process reaches the others only by IP address, with
 * certificates that name those addresses. Needs root and iproute2; skipped otherwise.
 */
class SeparateHostsTest {
  private static final String[] IPS = {"10.77.0.1", "10.77.0.2", "10.77.0.3"};

  private static int sh(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static void must(String... cmd) throws IOException, InterruptedException {
    int rc = sh(List.of(cmd));
    if (rc != 0) {
      throw new IllegalStateException("'" + String.join(" ", cmd) + "' failed with " + rc);
    }
  }

  private static Process inNamespace(String ns, Path log, Class<?> main, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * bin/netns-hosts, found from the module directory (surefire's working directory) or the root.
   */
  private static Path netnsHosts() {
    for (Path p : List.of(Path.of("..", "bin", "netns-hosts"), Path.of("bin", "netns-hosts"))) {
      if (Files.isExecutable(p)) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  @Test
  void threeHostsRunASecureInferenceOverMutualTls(@TempDir Path dir) throws Exception {
    Path hosts = netnsHosts();
    assumeTrue(hosts != null, "bin/netns-hosts not found");
    String prefix = "pst" + ProcessHandle.current().pid() % 1_000_000;
    boolean available;
    try {
      available = sh(List.of(hosts.toString(), "check", prefix)) == 0;
    } catch (IOException e) {
      available = false;
    }
    assumeTrue(available, "network namespaces need root and iproute2");
    String[] ns = {prefix + "-dealer", prefix + "-p0", prefix + "-p1"};
    List<Process> procs = new ArrayList<>();
    try {
      must(hosts.toString(), "up", prefix);
      Path certs = dir.resolve("certs");
      CertificateAuthority.createAll(certs, List.of(IPS));
      Process dealer =
          inNamespace(
              ns[0],
              dir.resolve("dealer.log"),
              DealerCli.class,
              "serve",
              "--port",
              "7100",
              "--certs",
              certs.toString());
      procs.add(dealer);
      Process p0 =
          inNamespace(
              ns[1],
              dir.resolve("p0.log"),
              PartyCli.class,
              "run",
              "--id",
              "0",
              "--listen",
              "7200",
              "--dealer",
              IPS[0] + ":7100",
              "--certs",
              certs.toString(),
              "--model",
              "tiny-pkn",
              "--session",
              "hosts",
              "--timeout",
              "30",
              "--connect-deadline",
              "60");
      procs.add(p0);
      Process p1 =
          inNamespace(
              ns[2],
              dir.resolve("p1.log"),
              PartyCli.class,
              "run",
              "--id",
              "1",
              "--peer",
              IPS[1] + ":7200",
              "--dealer",
              IPS[0] + ":7100",
              "--certs",
              certs.toString(),
              "--json",
              dir.resolve("p1.json").toString(),
              "--timeout",
              "30",
              "--connect-deadline",
              "60");
      procs.add(p1);
      assertTrue(p1.waitFor(120, TimeUnit.SECONDS), "party 1 did not finish");
      assertTrue(p0.waitFor(30, TimeUnit.SECONDS), "party 0 did not finish");
      String log1 = Files.readString(dir.resolve("p1.log"), StandardCharsets.UTF_8);
      String log0 = Files.readString(dir.resolve("p0.log"), StandardCharsets.UTF_8);
      assertEquals(0, p1.exitValue(), log1);
      assertEquals(0, p0.exitValue(), log0);
      assertTrue(log1.contains("authenticated party 0 at " + IPS[1]), log1);
      assertTrue(log0.contains("authenticated party 1 at /" + IPS[2]), log0);
      assertTrue(Files.readString(dir.resolve("p1.json")).contains("\"prediction\""));
    } finally {
      for (Process p : procs) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      sh(List.of(hosts.toString(), "down", prefix));
    }
  }
}
