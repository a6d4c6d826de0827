package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for one test, to produce a real full disk (ENOSPC). Needs root and {@code mount -t tmpfs};
 * where that is not possible the test is skipped with a message on stderr (never silently).
 */
public final class TinyTmpfs implements AutoCloseable {
    private final Path mountPoint;

    private TinyTmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code kilobytes} KiB on {@code mountPoint} (created), or aborts the test loudly. */
    public static TinyTmpfs mount(Path mountPoint, int kilobytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String result = run("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k,mode=700", "tmpfs",
                mountPoint.toString());
        if (result != null) {
            System.err.println("SKIPPED full-disk test: cannot mount a tmpfs here (" + result + ")");
            Assumptions.abort("full-disk test needs 'mount -t tmpfs' as root: " + result);
        }
        return new TinyTmpfs(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Fills the remaining space with a file outside the spool's directories. */
    public void fill() throws IOException {
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(mountPoint.resolve("filler"))) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Adds a filler file (outside the spool's directories) so that about {@code bytes} stay free, never more. */
    public void fillLeaving(long bytes) throws IOException {
        long toWrite = Files.getFileStore(mountPoint).getUsableSpace() - bytes;
        if (toWrite <= 0) {
            return;
        }
        byte[] block = new byte[64 * 1024];
        Path filler = Files.createTempFile(mountPoint, "filler-", "");
        try (var out = Files.newOutputStream(filler)) {
            while (toWrite > 0) {
                int n = (int) Math.min(block.length, toWrite);
                out.write(block, 0, n);
                toWrite -= n;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String result = run("umount", mountPoint.toString());
        if (result != null) {
            throw new IOException("cannot unmount " + mountPoint + ": " + result);
        }
    }

    /** Runs a command; null when it succeeded, else its exit code and output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " timed out";
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    }
}
