package org.smimegw.mailets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (gpgsm, NSS's cmsutil...) for interoperability tests. */
public final class Commands {

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "exit=" + exitCode + " stdout=" + stdout + " stderr=" + stderr;
        }
    }

    private final Path workDir;
    private final Map<String, String> environment;

    public Commands(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    /** Whether {@code tool} is on the PATH. */
    public static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} in the work directory with {@code stdin} (may be empty) as its input. */
    public Result run(String stdin, List<String> command) throws IOException, InterruptedException {
        Path in = Files.writeString(Files.createTempFile(workDir, "cmd-in", ".txt"), stdin);
        Path out = Files.createTempFile(workDir, "cmd-out", ".txt");
        Path err = Files.createTempFile(workDir, "cmd-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }
}
