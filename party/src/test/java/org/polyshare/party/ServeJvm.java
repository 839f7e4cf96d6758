package org.polyshare.party;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.polyshare.core.ops.ChildJvm;

/** {@code party serve} as its own JVM, as the process tests start it. */
final class ServeJvm {
  private ServeJvm() {}

  /**
   * {@code party serve --listen 0} of zoo {@code model} with the dealer at {@code
   * localhost:dealerPort}, the certificates in {@code certs} and {@code more} options; Netty's leak
   * detector at {@code leakDetection}.
   */
  static ChildJvm launch(
      String leakDetection, int dealerPort, Path certs, String model, String... more)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--listen",
                "0",
                "--dealer",
                "localhost:" + dealerPort,
                "--certs",
                certs.toString(),
                "--model",
                model));
    args.addAll(List.of(more));
    return ChildJvm.launch(leakDetection, PartyCli.class, args.toArray(String[]::new));
  }

  /** The port the service announced it serves {@code model} on. */
  static int port(ChildJvm service, String model) throws InterruptedException {
    return service.awaitNumber(
        Pattern.compile("serving model '" + Pattern.quote(model) + "' on port (\\d+)"));
  }
}
