package org.polyshare.party;

import java.nio.file.Files;
import java.nio.file.Path;
import org.polyshare.core.ops.ConfigDefaults;
import org.polyshare.core.ops.LogOptions;
import org.polyshare.core.ops.RootCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/party}: one party of a secure two-party inference. */
@Command(
    name = "party",
    mixinStandardHelpOptions = true,
    version = "PolyShare party 0.1",
    description =
        "One party of PolyShare secure inference (party 0 = model owner, party 1 = client).",
    subcommands = {RunCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class PartyCli extends RootCommand {
  @CommandLine.Mixin LogOptions logging;

  @CommandLine.Mixin org.polyshare.core.ops.ThreadOptions threads;

  public PartyCli() {
    super("run or serve");
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /**
   * The command line, with the option defaults of {@code --config FILE} if {@code args} name one.
   */
  public static CommandLine commandLine(String... args) {
    return ConfigDefaults.install(new CommandLine(new PartyCli()), args);
  }

  /**
   * Refuses the whole output of {@code dealer certs} (every role's bundle and the CA key) as one
   * process's {@code --certs}, naming this role's bundle; warns when the directory holds the CA
   * key.
   */
  static void checkCerts(Path dir, org.polyshare.core.net.Role role) {
    Path own = dir.resolve(role.id());
    if (!Files.exists(dir.resolve(org.polyshare.core.net.CertificateAuthority.CA_CERT))
        && Files.isDirectory(own)) {
      throw new IllegalArgumentException(
          dir
              + " holds the certificate bundles of every role; give "
              + role.displayName()
              + " only its own: --certs "
              + own
              + " (copy that directory alone to this host)");
    }
    if (Files.exists(dir.resolve(org.polyshare.core.net.CertificateAuthority.CA_KEY))) {
      org.slf4j.LoggerFactory.getLogger(PartyCli.class)
          .warn(
              "{} also holds the CA key, which lets its holder issue certificates for any role;"
                  + " re-create the certificates with `dealer certs` and give each host only its own"
                  + " bundle",
              dir);
    }
  }

  record HostPort(String host, int port) {
    static HostPort parse(String s, String option) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + s + "'");
      }
      try {
        return new HostPort(
            s.substring(0, colon).replaceAll("^\\[|\\]$", ""),
            Integer.parseInt(s.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be HOST:PORT, got '" + s + "'");
      }
    }
  }
}
