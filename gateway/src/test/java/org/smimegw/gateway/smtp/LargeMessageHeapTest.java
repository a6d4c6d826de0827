package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ~50 MB message through SMTP → spool → {@code Spool.open()} in a JVM limited to {@code -Xmx256m}. The measured
 * peaks are printed and written to {@code target/large-message-heap.txt}.
 */
class LargeMessageHeapTest {
    @TempDir
    Path work;

    @Test
    void fiftyMegabyteMessagePassesWith256MegabyteHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = work.resolve("child.out");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=none", LargeMessageHeapCheck.class.getName(), work.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("child JVM finished").isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> values = out.lines().filter(l -> l.matches("[A-Z_0-9]+=.*"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> b));
        assertThat(values).containsEntry("DIGEST_OK", "true").containsEntry("SUBJECT", "fifty megabytes");
        assertThat(Long.parseLong(values.get("WIRE_BYTES"))).isGreaterThan(50_000_000L);
        assertThat(Long.parseLong(values.get("MAX_HEAP"))).isLessThanOrEqualTo(256L * 1024 * 1024);
        String report = List.of("WIRE_BYTES", "SPOOL_FILE_BYTES", "MAX_HEAP", "PEAK_HEAP_RECEIVE", "PEAK_HEAP_READBACK")
                .stream().map(k -> k + "=" + values.get(k)).collect(Collectors.joining("\n"));
        System.out.println(report);
        Files.writeString(Path.of("target", "large-message-heap.txt"), report + "\n");
    }
}
