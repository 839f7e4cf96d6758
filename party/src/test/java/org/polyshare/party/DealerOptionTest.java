package org.polyshare.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class DealerOptionTest {
  static final class Probe implements Runnable {
    @Mixin DealerOption dealer;

    @Override
    public void run() {}
  }

  @Test
  void parsesHostAndPortAndNamesTheOptionWhenMalformed() {
    Probe p = new Probe();
    new CommandLine(p).parseArgs("--dealer", "[::1]:7000");
    assertEquals(new PartyCli.HostPort("::1", 7000), p.dealer.address());
    new CommandLine(p).parseArgs("--dealer", "dealer.example");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p.dealer::address);
    assertEquals("--dealer must be HOST:PORT, got 'dealer.example'", e.getMessage());
  }

  @Test
  void isRequiredByRunAndServe() {
    for (String command : new String[] {"run", "serve"}) {
      String help = PartyCli.commandLine().getSubcommands().get(command).getUsageMessage();
      assertTrue(help.contains("--dealer=<dealer>") && !help.contains("[--dealer"), help);
      assertTrue(help.contains("HOST:PORT of the dealer"), help);
    }
  }
}
