package dev.hotpot.offline;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * Runs a {@code hotpot} command in this JVM, as {@code ./hotpot cli} would, and keeps its exit code
 * and output.
 */
record Commands(int exitCode, String out, String err) {

    /** Runs {@code command} (verify, gc, stats) on the heap folder {@code heap}. */
    static Commands run(String command, Path heap) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = dev.hotpot.cli.HotpotCommand.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(command, "--dir", heap.getParent().toString(), heap.getFileName().toString());
        return new Commands(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nout:\n" + out + "err:\n" + err;
    }
}
