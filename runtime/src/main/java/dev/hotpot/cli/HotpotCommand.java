package dev.hotpot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hotpot} command line. */
@Command(name = "hotpot", mixinStandardHelpOptions = true, version = "hotpot 0.1.0",
        description = "Distributed shared persistent memory for Java.",
        subcommands = {DemoCommand.class, InspectCommand.class})
public final class HotpotCommand {
    public static void main(String[] args) {
        System.exit(new CommandLine(new HotpotCommand()).execute(args));
    }
}
