package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ThreadsOptionTest {
  @Test
  void runAndServeTakeThreads() {
    CommandLine party = PartyCli.commandLine();
    for (String sub : new String[] {"run", "serve"}) {
      assertNotNull(
          party.getSubcommands().get(sub).getCommandSpec().findOption("--threads"),
          "party " + sub + " --threads");
    }
  }
}
