package org.smimegw.bench.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Postfix instance configured as a plain relay from 127.0.0.0/8 to the sink: its own config, queue and
 * data directories under a work directory, {@code postfix -c DIR start-fg} as a child process, its smtpd on a free
 * loopback port. Needs root and the Debian {@code postfix} package; {@link #unavailableReason()} says why not.
 */
public final class PostfixRelay implements SystemUnderTest {

    private static final Logger LOG = LoggerFactory.getLogger(PostfixRelay.class);
    private static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    private final Path conf;
    private final Process process;
    private final int port;

    private PostfixRelay(Path conf, Process process, int port) {
        this.conf = conf;
        this.process = process;
        this.port = port;
    }

    /** Null when Postfix can run here, else the reason it cannot. */
    public static String unavailableReason() {
        if (!Files.isExecutable(POSTFIX)) {
            return "postfix not installed (/usr/sbin/postfix; Debian package postfix)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "a private postfix instance needs root (running as " + System.getProperty("user.name") + ")";
        }
        if (!Files.exists(Path.of("/etc/postfix/master.cf"))) {
            return "/etc/postfix/master.cf missing";
        }
        return null;
    }

    public static PostfixRelay start(Path workDir, int sinkPort) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        openForPostfixUser(workDir);
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Path queue = Files.createDirectories(workDir.resolve("queue"));
        Path data = Files.createDirectories(workDir.resolve("data"));
        run(List.of("chown", "postfix:postfix", data.toString()));
        int port = Ports.free();
        StringBuilder master = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/etc/postfix/master.cf"))) {
            if (line.matches("^smtp\\s+inet\\s.*")) {
                master.append(port).append("      inet  n       -       y       -       -       smtpd\n");
            } else {
                master.append(line).append('\n');
            }
        }
        Files.writeString(conf.resolve("master.cf"), master);
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + queue.toAbsolutePath(),
                "data_directory = " + data.toAbsolutePath(),
                "myhostname = postfix.bench.example",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "relayhost = [127.0.0.1]:" + sinkPort,
                "smtpd_relay_restrictions = permit_mynetworks, reject",
                "alias_maps =",
                "alias_database =",
                "maillog_file = /dev/stdout",
                ""));
        Path log = workDir.resolve("postfix.log");
        Process p = new ProcessBuilder(POSTFIX.toString(), "-c", conf.toString(), "start-fg")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PostfixRelay relay = new PostfixRelay(conf, p, port);
        if (!Ports.awaitSmtpGreeting(port, Duration.ofSeconds(30), p::isAlive)) {
            relay.close();
            throw new IOException("postfix did not answer on 127.0.0.1:" + port + " within 30 s; see " + log
                    + ": " + tail(log));
        }
        LOG.info("postfix relay up on 127.0.0.1:{} (pid {}), relaying to sink port {}", port, p.pid(), sinkPort);
        return relay;
    }

    /** The postfix user must reach its data directory: adds search (x) permission to our directories above it. */
    private static void openForPostfixUser(Path dir) throws IOException {
        String me = System.getProperty("user.name");
        for (Path p = dir.toAbsolutePath(); p != null && p.getParent() != null; p = p.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                    && Files.getOwner(p).getName().equals(me)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    @Override
    public String name() {
        return "postfix";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            run(List.of(POSTFIX.toString(), "-c", conf.toString(), "stop"));
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
