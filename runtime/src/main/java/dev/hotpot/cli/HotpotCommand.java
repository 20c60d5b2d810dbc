package dev.hotpot.cli;

import dev.hotpot.HotpotException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hotpot} command line. Errors a user can act on print their message, not a stack trace.
 * Modules on the class path add commands through {@link Subcommand}.
 */
@Command(name = "hotpot", mixinStandardHelpOptions = true, version = "hotpot 0.1.0",
        description = "Distributed shared persistent memory for Java.",
        subcommands = {DemoCommand.class, InspectCommand.class, TruncateLogCommand.class, VerifyCommand.class,
                GcCommand.class, StatsCommand.class})
public final class HotpotCommand {
    static final int EXIT_HOTPOT_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every command, printing a {@link HotpotException} as one line (also for tests). */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new HotpotCommand());
        // Commands of other modules (the cluster's `node`), found on the class path.
        for (Subcommand extra : java.util.ServiceLoader.load(Subcommand.class, HotpotCommand.class.getClassLoader())) {
            commandLine.addSubcommand(extra);
        }
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof HotpotException) {
                cmd.getErr().println("hotpot: " + e.getMessage());
                return EXIT_HOTPOT_ERROR;
            }
            throw e;
        });
        return commandLine;
    }
}
