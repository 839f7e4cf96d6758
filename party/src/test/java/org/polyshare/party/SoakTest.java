package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 1,000 inferences of tiny-pkn through one dealer and party 0 as a service, party 1 a client per
 * session (50 sessions × 20 inferences: each session costs three TLS handshakes, so one inference
 * per session would not fit the time budget), all over loopback TLS, in a JVM of its own ({@link
 * SoakMain}) with Netty's leak detector at PARANOID and a 256 MB heap. Asserts: every result within
 * the plaintext bound, every session completed, used heap after GC at inference 1000 at most 32 MB
 * above the figure at inference 100, and no leak report (while a buffer leaked on purpose
 * afterwards is reported, so the detector is known to be listening).
 */
class SoakTest {
  private static final int SESSIONS = 50;
  private static final int PER_SESSION = 20;

  @Test
  void thousandInferencesKeepTheHeapFlatAndLeakNothing() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dio.netty.leakDetection.level=paranoid",
                "-cp",
                System.getProperty("java.class.path"),
                SoakMain.class.getName(),
                String.valueOf(SESSIONS),
                String.valueOf(PER_SESSION))
            .redirectErrorStream(true)
            .start();
    byte[] out;
    try {
      out = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "soak run did not finish");
    } finally {
      p.destroyForcibly();
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    Map<String, String> v = new HashMap<>();
    Matcher m =
        Pattern.compile("(\\w+)=([\\d.]+)")
            .matcher(String.join(" ", text.lines().filter(l -> l.startsWith("SOAK ")).toList()));
    while (m.find()) {
      v.put(m.group(1), m.group(2));
    }
    assertTrue(
        v.keySet().containsAll(List.of("inferences", "mismatches", "heap100", "heapEnd", "leaks")),
        text);
    System.out.println(
        text.lines().filter(l -> l.startsWith("SOAK")).reduce("", (a, b) -> a + b + "\n"));
    assertEquals(SESSIONS * PER_SESSION, Integer.parseInt(v.get("inferences")), text);
    assertEquals(SESSIONS, Integer.parseInt(v.get("completed")), text);
    assertEquals(0, Integer.parseInt(v.get("mismatches")), text);
    long growth = Long.parseLong(v.get("heapEnd")) - Long.parseLong(v.get("heap100"));
    assertTrue(
        growth < 32L << 20,
        "used heap grew by " + (growth >> 20) + " MB from inference 100 to 1000\n" + text);
    assertEquals(0, Integer.parseInt(v.get("leaks")), text);
    assertEquals(
        1,
        Integer.parseInt(v.get("canary")),
        "the leak detector missed a deliberate leak: " + text);
  }
}
