package org.smimegw.crashtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.smimegw.bench.GatewayConfigs;
import org.smimegw.bench.smtp.SmtpSink;
import org.smimegw.bench.sut.GatewayProcess;
import org.smimegw.bench.sut.Ports;

/**
 * The gateway as a separate process ({@code java -jar app/target/smime-gateway.jar run}) under load from
 * {@code crashtest.sessions} concurrent SMTP sessions sending {@code crashtest.messages} messages, half of them plain
 * and half signed and encrypted (keys from {@code certs demo-setup}), killed with SIGKILL {@code crashtest.kills}
 * times while the load runs and restarted each time. The next hop is the bench's SMTP sink, which records every
 * message by its {@code X-Bench-Id}. Asserts that every message that got a 250 arrived at least once (0 lost) and
 * that the signed-and-encrypted ones arrived encrypted; reports duplicates (a message whose 250 or whose delivery
 * was cut off by a kill is sent again: at least once, never zero times). Run it with {@code bin/crash-test}
 * (docs/hardening-tests.md); the report is written to {@code crashtest/target/crash/<time>/report.txt}.
 */
class GatewayCrashTest {
    private static final String PLAIN_SENDER = "carol@example.com";
    private static final String PLAIN_RECIPIENT = "dave@elsewhere.example";
    private static final String SECURE_SENDER = "alice@example.com";
    private static final String SECURE_RECIPIENT = "bob@partner.example";
    private static final String ID_PREFIX = "crash-";
    /** A restart replays the spool before it is ready; on a loaded 2-core machine that took up to a minute. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private final int messages = Integer.getInteger("crashtest.messages", 1000);
    private final int sessions = Integer.getInteger("crashtest.sessions", 10);
    private final int kills = Integer.getInteger("crashtest.kills", 3);
    private final long deadlineSeconds = Long.getLong("crashtest.deadlineSeconds", 1800);

    @Test
    void killNineUnderLoadLosesNoAcceptedMail() throws Exception {
        Path jar = Path.of(System.getProperty("gateway.jar", "app/target/smime-gateway.jar")).toAbsolutePath();
        assertThat(jar).as("the gateway jar (built by the reactor before this module)").isRegularFile();
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path dir = Path.of(System.getProperty("crashtest.dir", "target/crash"))
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(deadlineSeconds);

        try (SmtpSink sink = SmtpSink.start()) {
            int smtpPort = Ports.free();
            Path xml = Files.writeString(dir.resolve("mailetcontainer.xml"), MAILET_CONTAINER);
            Path store = Files.createDirectories(dir.resolve("certstore"));
            Files.writeString(store.resolve("keystore.pass"), "crash-" + Long.toHexString(System.nanoTime()) + "\n");
            Path yaml = Files.writeString(dir.resolve("gateway.yaml"), GatewayConfigs.gatewayYaml(smtpPort,
                    sink.port(), Ports.free(), dir.resolve("state"), xml, store, List.of()));
            demoSetup(java, jar, dir, yaml);

            List<String> jvm = List.of("-Xmx512m");
            GatewayProcess gateway = GatewayProcess.start(java, jar, dir, yaml, smtpPort, jvm, READY_TIMEOUT);
            Queue<Integer> numbers = new ConcurrentLinkedQueue<>(IntStream.range(0, messages).boxed().toList());
            Set<Integer> accepted = ConcurrentHashMap.newKeySet();
            AtomicLong resends = new AtomicLong();
            ExecutorService clients = Executors.newFixedThreadPool(sessions);
            for (int i = 0; i < sessions; i++) {
                clients.execute(new ResilientSession(smtpPort, numbers, GatewayCrashTest::message, accepted, resends,
                        deadline));
            }
            clients.shutdown();

            List<String> killLog = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                int threshold = messages * k / (kills + 1);
                while (accepted.size() < threshold && !clients.isTerminated() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(clients.isTerminated()).as("kill %d must come while the load runs", k).isFalse();
                gateway.kill();
                killLog.add("kill " + k + " at " + seconds(start) + " s with " + accepted.size() + " accepted, "
                        + sink.arrivedIds() + " arrived");
                gateway = GatewayProcess.start(java, jar, dir, yaml, smtpPort, jvm, READY_TIMEOUT);
            }
            assertThat(clients.awaitTermination(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                    .as("the load ends before the deadline").isTrue();
            double loadSeconds = seconds(start);

            List<Integer> missing = awaitDelivery(sink, accepted, deadline);
            double totalSeconds = seconds(start);
            gateway.close();

            long secureAccepted = accepted.stream().filter(n -> n % 2 == 1).count();
            long encrypted = sink.headerCounts().getOrDefault("content-type: application/pkcs7-mime", 0L);
            String report = String.join("\n",
                    "crash test: " + messages + " messages (half plain, half signed+encrypted) from " + sessions
                            + " sessions, gateway killed with SIGKILL " + kills + " times",
                    "accepted (250): " + accepted.size() + " (" + secureAccepted + " signed+encrypted)",
                    "delivered (distinct): " + (accepted.size() - missing.size()),
                    "lost (accepted, never delivered): " + missing.size() + (missing.isEmpty() ? ""
                            : " " + missing.stream().limit(20).map(n -> ID_PREFIX + n).toList()),
                    "duplicates (arrived more than once): " + sink.duplicates(),
                    "arrived without a 250 seen (the 250 was cut off, then sent again): "
                            + (sink.arrivedIds() - (accepted.size() - missing.size())),
                    "resent after a broken session: " + resends.get(),
                    "arrived encrypted (application/pkcs7-mime): " + encrypted,
                    "kills: " + kills,
                    String.join("\n", killLog),
                    "duration: load " + loadSeconds + " s, until all delivered " + totalSeconds + " s",
                    "spool left: " + spoolLeft(dir.resolve("state/spool")),
                    "work directory: " + dir) + "\n";
            Files.writeString(dir.resolve("report.txt"), report);
            System.out.print(report);

            assertThat(accepted).as(report).hasSize(messages);
            assertThat(missing).as(report).isEmpty();
            assertThat(encrypted).as(report).isGreaterThanOrEqualTo(secureAccepted);
        }
    }

    /** {@code certs demo-setup}: demo CA as trust, alice's key (signs), bob's certificate (encrypts to). */
    private static void demoSetup(Path java, Path jar, Path dir, Path yaml) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "certs", "demo-setup", "--config",
                yaml.toString(), "--internal", SECURE_SENDER, "--external", SECURE_RECIPIENT, "--out",
                dir.resolve("demo").toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("demo-setup.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("demo-setup ends").isTrue();
        assertThat(p.exitValue()).as("demo-setup: %s", Files.readString(dir.resolve("demo-setup.log"))).isZero();
    }

    /** Message number n: even numbers plain, odd ones from the internal user to the external one (sign+encrypt). */
    static ResilientSession.Message message(int n) {
        boolean secure = n % 2 == 1;
        String from = secure ? SECURE_SENDER : PLAIN_SENDER;
        String to = secure ? SECURE_RECIPIENT : PLAIN_RECIPIENT;
        StringBuilder text = new StringBuilder()
                .append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Subject: crash test ").append(n).append("\r\n")
                .append("Message-ID: <").append(ID_PREFIX).append(n).append("@crash-test.example>\r\n")
                .append("X-Bench-Id: ").append(ID_PREFIX).append(n).append("\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        for (int line = 0; line < 30; line++) {
            text.append("message ").append(n).append(" line ").append(line)
                    .append(": the quick brown fox jumps over the lazy dog\r\n");
        }
        return new ResilientSession.Message(n, from, to, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Waits until every accepted message arrived at the sink, or the deadline; returns those that did not. */
    private static List<Integer> awaitDelivery(SmtpSink sink, Set<Integer> accepted, long deadline)
            throws InterruptedException {
        List<Integer> missing;
        do {
            missing = accepted.stream().filter(n -> sink.arrival(ID_PREFIX + n) == null).sorted().toList();
            if (missing.isEmpty()) {
                return missing;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return missing;
    }

    /** Files left per spool area (after the drain every area but recycled temp files should be empty). */
    private static Map<String, Long> spoolLeft(Path spool) throws IOException {
        Map<String, Long> left = new TreeMap<>();
        if (!Files.isDirectory(spool)) {
            return left;
        }
        try (Stream<Path> areas = Files.list(spool)) {
            for (Path area : areas.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(area)) {
                    left.put(area.getFileName().toString(), files.count());
                }
            }
        }
        return left;
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    /** Plain mail goes straight to the next hop; mail from the internal user is signed, then encrypted. */
    private static final String MAILET_CONTAINER = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- generated by the crash test -->
            <mailetcontainer>
              <processors>
                <processor state="root">
                  <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                </processor>
                <processor state="transport">
                  <mailet match="SenderIs=%s" class="ToProcessor"><processor>secure</processor></mailet>
                  <mailet match="All" class="RemoteDelivery"/>
                </processor>
                <processor state="secure">
                  <mailet match="All" class="SMIMESign"/>
                  <mailet match="All" class="SMIMEEncrypt" onMailetException="propagate"/>
                  <mailet match="All" class="RemoteDelivery"/>
                </processor>
                <processor state="no-certificate">
                  <mailet match="All" class="RemoteDelivery"/>
                </processor>
                <processor state="error">
                  <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                </processor>
              </processors>
            </mailetcontainer>
            """.formatted(SECURE_SENDER);
}
