package org.polyshare.core.ops;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for a command whose options may come from a properties file. The values
 * themselves reach the options through {@link ConfigDefaults}, installed on the command line before
 * parsing; this option only names the file (and shows in the help).
 */
public final class ConfigOption {
  @Option(
      names = ConfigDefaults.OPTION,
      paramLabel = "FILE",
      description =
          "Java properties file of option values, keys named as the long options without '--'"
              + " (port = 7100, certs = /etc/polyshare/certs, log-level = debug); flags on the command line override it")
  Path file;
}
