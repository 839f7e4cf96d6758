package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.polyshare.core.link.LinkException;
import org.polyshare.core.ops.LogCapture;
import org.polyshare.models.graph.Layer;
import org.polyshare.models.graph.Linear;
import org.polyshare.models.graph.Model;
import org.polyshare.models.secure.SecureOptions;
import org.polyshare.models.zoo.Zoo;

/**
 * Errors at party 0 whose local text carries model values — the headroom guard's activations, a
 * weight {@code FixedPoint.encode} cannot encode, a bias the 2f encoding cannot hold — reach party
 * 1 as a code and a fixed sentence only; the detail is in party 0's log.
 */
class PeerErrorTest {
  private static final Duration T = Duration.ofSeconds(30);

  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(10));

  /** tiny-pkn with its classifier layer changed by {@code edit}. */
  private static Model withClassifier(UnaryOperator<Linear> edit) {
    Model m = Zoo.load("tiny-pkn");
    List<Layer> layers = new ArrayList<>();
    for (Layer l : m.layers()) {
      layers.add(l instanceof Linear lin ? edit.apply(lin) : l);
    }
    return Model.of(m.name(), m.inputShape(), m.fracBits(), layers);
  }

  @Test
  void headroomFailureReachesTheClientAsAFixedSentence() throws Exception {
    Model escaping =
        withClassifier(
            lin -> {
              double[] w = lin.weight().clone();
              for (int i = 0; i < w.length; i++) {
                w[i] *= 3.7e9; // logits far past the ring's headroom
              }
              return lin.withParams(w, lin.bias());
            });
    check(escaping, SecureOptions.defaults(), "headroom");
  }

  /** A classifier weight or bias too large for the ring: the service fails while encoding it. */
  @ParameterizedTest
  @CsvSource({"weight, 5, 7.654321e40", "bias, 3, 9.87654e25"})
  void unencodableParameterReachesTheClientAsAFixedSentence(String param, int index, double value)
      throws Exception {
    Model huge =
        withClassifier(
            lin -> {
              double[] w = lin.weight().clone();
              double[] b = lin.bias().clone();
              (param.equals("weight") ? w : b)[index] = value;
              return lin.withParams(w, b);
            });
    check(huge, SecureOptions.defaults().withGuard(false), Double.toString(value));
  }

  /**
   * Runs one client session against a service of {@code model}; the service's log must show {@code
   * detail} (the error really happened), the client's error no number at all beyond the party
   * names, and in particular none of the numbers in the service's error line.
   */
  private static void check(Model model, SecureOptions options, String detail)
      throws InterruptedException {
    try (LogCapture serviceLog = LogCapture.start(Level.INFO);
        // the client truncates as the party path does by default
        PartyService service =
            dealer.service(model, options.withTruncation(PartyRunner.TRUNCATION), T, 1, 1, 10)) {
      LinkException e =
          assertThrows(
              LinkException.class,
              () -> dealer.parties("tiny-pkn").timeout(T).runClient(service.port()));
      Await.until(() -> serviceLog.text().contains("failed after"), T);
      String log = serviceLog.text();
      assertTrue(
          log.contains(detail),
          "the service's log should have the detail '" + detail + "':\n" + log);
      String m = e.getMessage();
      assertTrue(m.contains("ended the link: "), "party 1 was told no reason: " + m);
      String received =
          m.substring(
              m.indexOf("ended the link: ") + 16, m.endsWith(")") ? m.length() - 1 : m.length());
      // party 0's fixed sentence, or the dealer's (party 1 may be reading the dealer link when
      // party 0 quits); a dealer code may name a party ("party0-link-failed"), no other digit
      assertTrue(
          received.equals(PeerError.INTERNAL.wire())
              || received.matches("dealer/(party[01]-)?[a-z-]+: ([a-z ,;'-]|party [01])+"),
          "party 1 received: " + received);
      String failure = log.substring(log.indexOf("failed after"));
      Matcher numbers =
          Pattern.compile("\\d+(\\.\\d+)?([eE][-+]?\\d+)?")
              .matcher(failure.substring(failure.indexOf(':')));
      // the party names ("party 0", or "party0" in a dealer code) are the only digits allowed; a
      // "0" in the log line (say "inference 0") must not match them
      String unnamed = received.replaceAll("party ?[01]", "");
      while (numbers.find()) {
        assertFalse(
            unnamed.contains(numbers.group()),
            "party 1 received the number "
                + numbers.group()
                + " from party 0's error: "
                + received);
      }
      assertFalse(unnamed.matches(".*\\d.*"), "party 1 received a number: " + received);
    }
  }
}
