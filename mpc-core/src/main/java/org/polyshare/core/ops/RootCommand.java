package org.polyshare.core.ops;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The top command of a PolyShare program ({@code bench}, {@code models}, {@code party}, {@code
 * dealer}); its subcommands do the work. Run without one it prints its usage, or, where it names
 * its commands, refuses as a usage error (exit code 2).
 */
public abstract class RootCommand implements Runnable {
  @CommandLine.Spec CommandSpec spec;

  private final String commands;

  /** Prints the usage when run without a subcommand. */
  protected RootCommand() {
    this(null);
  }

  /** Refuses to run without a subcommand: "name a command: {@code commands}". */
  protected RootCommand(String commands) {
    this.commands = commands;
  }

  @Override
  public final void run() {
    if (commands == null) {
      spec.commandLine().usage(System.out);
    } else {
      throw new ParameterException(spec.commandLine(), "name a command: " + commands);
    }
  }

  /**
   * {@code cli} with bad input — an exception of one of {@code kinds} thrown by a command — printed
   * as one line {@code program command: message} with exit code 2 instead of a stack trace; any
   * other exception propagates.
   */
  public static CommandLine oneLineErrors(
      CommandLine cli, String program, List<Class<? extends Exception>> kinds) {
    return cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          for (Class<? extends Exception> k : kinds) {
            if (k.isInstance(e)) {
              cmd.getErr().println(program + " " + cmd.getCommandName() + ": " + e.getMessage());
              return 2;
            }
          }
          throw e;
        });
  }
}
