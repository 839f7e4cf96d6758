package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.polyshare.models.arch.Architecture;
import org.polyshare.models.graph.Model;
import org.polyshare.models.zoo.Zoo;

/** Both parties on threads of this JVM, the dealer service too, all links over loopback TLS. */
class PartyRunnerTest {
  @RegisterExtension
  static final LoopbackDealer dealer = new LoopbackDealer(Duration.ofSeconds(10));

  @ParameterizedTest
  @ValueSource(strings = {"tiny-pkn", "tiny-relu"})
  void twoPartiesMatchThePlaintextModel(String name) throws Exception {
    int inferences = 2;
    Parties.Outcome o =
        dealer
            .parties(name)
            .clientModel(name)
            .session("runner-" + name)
            .inferences(inferences)
            .run();
    PartyRunner.Report r0 = o.party0();
    PartyRunner.Report r1 = o.party1();

    Model model = Zoo.load(name);
    // the demo inputs party 1 used, clamped into the range party 0 published
    Demo.assertMatchesPlaintext(model, r1, Demo.inputs(model, inferences));
    for (int k = 0; k < inferences; k++) {
      assertNull(r0.inferences().get(k).logits(), "party 0 learns no logits");
      assertTrue(r1.inferences().get(k).onlineTraffic().rounds() > 0);
      // streamed offline: the dealer's messages for an inference arrive while it runs
      assertTrue(r1.inferences().get(k).dealerBytes() > 0, "no dealer bytes in inference " + k);
    }
    assertEquals(r0.planHash(), r1.planHash());
    assertTrue(
        Architecture.holdsNoWeights(r1.compiled()), "party 1 ran a model with weight arrays");
    assertTrue(r1.dealerBytesReceived() > 0 && r0.dealerBytesReceived() > 0);
    assertTrue(PartyRunner.toJson(r1).contains("\"prediction\": "));
  }
}
