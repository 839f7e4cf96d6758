package org.polyshare.party;

import org.polyshare.core.protocol.TruncationMode;
import picocli.CommandLine.Option;

/**
 * {@code --truncation exact|dealer|local}, mixed into {@code party run} and {@code party serve}:
 * both parties of a session must run the same.
 */
final class TruncationOption {
  @Option(
      names = "--truncation",
      defaultValue = "exact",
      description =
          "exact (default: party 1's logits a function of weights and input alone), dealer (fewer dealer"
              + " bytes; the dropped borrow randomises the low bits) or local; both parties must run the same")
  String truncation;

  TruncationMode mode() {
    return TruncationMode.named(truncation);
  }
}
