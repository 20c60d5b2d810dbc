package dev.hotpot.cli;

import dev.hotpot.HotpotException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hotpot} command line. Errors a user can act on print their message, not a stack trace. */
@Command(name = "hotpot", mixinStandardHelpOptions = true, version = "hotpot 0.1.0",
        description = "Distributed shared persistent memory for Java.",
        subcommands = {DemoCommand.class, InspectCommand.class, TruncateLogCommand.class})
public final class HotpotCommand {
    static final int EXIT_HOTPOT_ERROR = 2;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new HotpotCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof HotpotException) {
                cmd.getErr().println("hotpot: " + e.getMessage());
                return EXIT_HOTPOT_ERROR;
            }
            throw e;
        });
        System.exit(commandLine.execute(args));
    }
}
