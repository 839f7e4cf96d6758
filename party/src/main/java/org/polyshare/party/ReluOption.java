package org.polyshare.party;

import org.polyshare.models.secure.ReluMode;
import picocli.CommandLine.Option;

/**
 * {@code --relu gc|fss}, mixed into {@code party run} and {@code party serve}: the plan hash binds
 * it, so both parties of a session must run the same.
 */
final class ReluOption {
  @Option(
      names = "--relu",
      defaultValue = "gc",
      description =
          "ReLU and max-pool by gc (garbled circuits, Delphi-style; default) or fss (the dealer's"
              + " DCF keys); both parties must run the same (a mismatch is refused as a plan mismatch)")
  String relu;

  ReluMode mode() {
    return ReluMode.parse(relu);
  }
}
