package org.smimegw.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short command (tar, dpkg, setpriv ...) and gives its exit code and output. */
final class Commands {
    private Commands() {
    }

    record Result(int exit, String output) {
        Result expectSuccess() {
            if (exit != 0) {
                throw new AssertionError("exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return run(List.of(command), null, null);
    }

    /** {@code environment} null: this process's environment; else exactly that one. */
    static Result run(List<String> command, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 300 s:\n" + output);
        }
        System.out.println("$ " + String.join(" ", command) + "   # exit " + process.exitValue() + "\n" + output);
        return new Result(process.exitValue(), output);
    }
}
