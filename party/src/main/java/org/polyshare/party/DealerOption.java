package org.polyshare.party;

import org.polyshare.party.PartyCli.HostPort;
import picocli.CommandLine.Option;

/** {@code --dealer HOST:PORT}, mixed into {@code party run} and {@code party serve}. */
final class DealerOption {
  @Option(names = "--dealer", required = true, description = "HOST:PORT of the dealer")
  String dealer;

  /** The parsed address; a malformed one is an {@link IllegalArgumentException} naming it. */
  HostPort address() {
    return HostPort.parse(dealer, "--dealer");
  }
}
