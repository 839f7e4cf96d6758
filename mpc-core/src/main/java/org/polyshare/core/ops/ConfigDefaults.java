package org.polyshare.core.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's default values from the properties file named by {@code --config FILE}: for a command
 * that mixes in {@link ConfigOption}, an option without a flag on the command line takes the file's
 * value for its key (the long name without {@code --}), else its own default. Flags win because
 * picocli applies defaults first and the parsed arguments over them.
 *
 * <p>The file has to be known before parsing starts, so {@link #install} finds {@code --config} in
 * the raw arguments; picocli then parses everything, {@code --config} included. A key that names no
 * option of the command is refused before the command runs, with the valid keys.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  static final String OPTION = "--config";

  private final Path file;
  private Map<String, String> values;
  private CommandSpec checked;

  private ConfigDefaults(Path file) {
    this.file = file;
  }

  /**
   * Installs the provider on {@code cmd} (and its subcommands) for the file {@code args} name, if
   * any.
   */
  public static CommandLine install(CommandLine cmd, String... args) {
    Path file = fileIn(args);
    if (file != null) {
      cmd.setDefaultValueProvider(new ConfigDefaults(file));
    }
    return cmd;
  }

  /**
   * The value of the first {@code --config FILE} or {@code --config=FILE} in {@code args}, or null.
   */
  static Path fileIn(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        return null;
      }
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(OPTION + "=")) {
        return Path.of(args[i].substring(OPTION.length() + 1));
      }
    }
    return null;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || !readsConfig(o.command())) {
      return null;
    }
    CommandSpec command = o.command();
    synchronized (this) {
      if (values == null) {
        values = read(command);
      }
      if (checked != command && command.optionsMap().containsKey(OPTION)) {
        checkKeys(command);
        checked = command;
      }
    }
    return values.get(key(o));
  }

  /**
   * A command with {@code --config}, or the parent of one: picocli gives an inherited option
   * ({@code --log-level}) its default on the command that declares it, not on the subcommand.
   */
  private static boolean readsConfig(CommandSpec c) {
    if (c.optionsMap().containsKey(OPTION)) {
      return true;
    }
    for (CommandLine sub : c.subcommands().values()) {
      if (readsConfig(sub.getCommandSpec())) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> read(CommandSpec command) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ParameterException(
          command.commandLine(), "cannot read config file " + file + ": " + e);
    }
    Map<String, String> m = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k.trim(), p.getProperty(k).trim());
    }
    return m;
  }

  private void checkKeys(CommandSpec command) {
    TreeSet<String> valid = new TreeSet<>();
    for (OptionSpec o : command.options()) {
      if (configurable(o)) {
        valid.add(key(o));
      }
    }
    for (String k : values.keySet()) {
      if (!valid.contains(k)) {
        throw new ParameterException(
            command.commandLine(),
            "config file "
                + file
                + ": unknown key '"
                + k
                + "' for '"
                + command.qualifiedName()
                + "'; valid keys: "
                + String.join(", ", valid));
      }
    }
  }

  private static boolean configurable(OptionSpec o) {
    return !o.usageHelp() && !o.versionHelp() && !o.longestName().equals(OPTION);
  }

  /** {@code --pair-timeout} -> {@code pair-timeout}. */
  static String key(OptionSpec o) {
    return o.longestName().replaceFirst("^-+", "");
  }
}
