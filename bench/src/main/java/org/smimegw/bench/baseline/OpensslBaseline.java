package org.smimegw.bench.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.pki.BenchPki;
import org.smimegw.certstore.testing.TestPki.Issued;

/**
 * The scripted peer: per message {@code openssl cms -sign | openssl cms -encrypt} of the same message, as a shell
 * pipeline per message, by {@code workers} parallel workers for a fixed time.
 */
public final class OpensslBaseline {

    private static final Logger LOG = LoggerFactory.getLogger(OpensslBaseline.class);

    private OpensslBaseline() {
    }

    /** Null when openssl can run, else why not. */
    public static String unavailableReason() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? null : "openssl version failed: " + v;
        } catch (IOException e) {
            return "openssl not found on PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public static String version() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    public static CryptoResult run(Path workDir, MessageTemplate message, Issued signer, List<Issued> recipients,
                                   String keyType, int workers, Duration duration)
            throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path msg = Files.write(workDir.resolve("message.eml"), message.content());
        Path cert = BenchPki.writeCertificate(signer, workDir.resolve("signer.pem"));
        Path key = BenchPki.writeKey(signer, workDir.resolve("signer.key"));
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            rcpts.add(BenchPki.writeCertificate(recipients.get(i), workDir.resolve("rcpt" + i + ".pem")).toString());
        }
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        // the openssl processes are children of this JVM: their CPU time lands in its cutime/cstime once reaped
        double cpu0 = org.smimegw.bench.sut.ProcessTreeCpu.selfCpuSeconds();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Path out = workDir.resolve("out" + w + ".p7m");
            String script = "openssl cms -sign -md sha256 -in " + msg + " -signer " + cert + " -inkey " + key
                    + " | openssl cms -encrypt -aes-256-cbc -out " + out + " " + String.join(" ", rcpts);
            threads.add(Thread.ofPlatform().name("openssl-" + w).start(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                        if (p.waitFor() == 0) {
                            done.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = org.smimegw.bench.sut.ProcessTreeCpu.selfCpuSeconds() - cpu0;
        if (failed.get() > 0) {
            LOG.warn("openssl baseline: {} runs failed", failed.get());
        }
        CryptoResult r = new CryptoResult("openssl cms", keyType, message.size(), recipients.size(), workers, seconds,
                done.get(), done.get() / seconds, done.get() > 0 ? 1000 * cpu / done.get() : 0, version() + ", sign SHA-256 piped into encrypt AES-256-CBC, one "
                + "shell pipeline per message" + (failed.get() > 0 ? ", " + failed.get() + " failed" : ""));
        LOG.info("openssl sign+encrypt: {} msg/s ({} workers)", String.format("%.1f", r.perSecond()), workers);
        return r;
    }
}
