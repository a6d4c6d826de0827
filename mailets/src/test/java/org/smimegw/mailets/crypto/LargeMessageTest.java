package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 50 MB message is signed, encrypted, decrypted and verified in a JVM limited to 256 MB of heap. */
class LargeMessageTest {

    @Test
    void fiftyMegabytesSignAndEncryptWithin256MbHeap(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                LargeMessageMain.class.getName(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(done).as("child finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").contains("verdict valid");
    }
}
