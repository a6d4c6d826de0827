package org.smimegw.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One gateway node: its own configuration and state directory, the shipped pipeline and policy, run from the built
 * jar as a separate JVM ({@code java -jar <gateway.jar of it/pom.xml> run}). All nodes share the directory
 * (certificates, harvest subtree, trust subtree) and deliver to the same next hop.
 */
final class GatewayNode implements AutoCloseable {
    static final Map<String, String> ENVIRONMENT = Map.of("P12_PASS", "p12-secret");

    private final String hostname;
    private final Path dir;
    private final int smtpPort;
    private final int adminPort;
    private final ExternalProcess process;

    private GatewayNode(String hostname, Path dir, int smtpPort, int adminPort) {
        this.hostname = hostname;
        this.dir = dir;
        this.smtpPort = smtpPort;
        this.adminPort = adminPort;
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("-Xmx384m", "-jar", jar().toString(), "run", "--config", config().toString()));
        this.process = new ExternalProcess(hostname, command, dir.resolve("gateway.log"), ENVIRONMENT);
    }

    /**
     * Writes the node's configuration: SMTP on {@code 127.0.0.1:<free port>} accepting PROXY headers from the load
     * balancer 127.0.0.1, relaying for clients in 127.0.0.2/32 and to example.com; delivery to the next hop with quick
     * retries; the certificate store in its own state directory plus the shared directory {@code slapd}.
     */
    static GatewayNode create(String hostname, Path dir, Slapd slapd, int nextHopPort) throws IOException {
        Files.createDirectories(dir);
        Path conf = Path.of(System.getProperty("gateway.conf"));
        Files.copy(conf.resolve("mailetcontainer.xml"), dir.resolve("mailetcontainer.xml"));
        Files.copy(conf.resolve("policy.yaml"), dir.resolve("policy.yaml"));
        Files.writeString(dir.resolve("store.pass"), "store-secret-" + hostname + "\n");
        Files.writeString(dir.resolve("ldap.pass"), Slapd.ADMIN_PASSWORD + "\n");
        GatewayNode node = new GatewayNode(hostname, dir, ExternalProcess.freePort(), ExternalProcess.freePort());
        Files.writeString(node.config(), """
                hostname: %1$s
                internalDomains: [example.com]
                stateDir: %2$s/var
                smtp:
                  bind: 127.0.0.1
                  port: %3$d
                  mynetworks: [127.0.0.2/32]
                  relayDomains: [example.com]
                  proxyProtocol:
                    loadBalancers: [127.0.0.1]
                    headerTimeoutSeconds: 3
                pipeline:
                  config: %2$s/mailetcontainer.xml
                delivery:
                  smarthost:
                    host: 127.0.0.1
                    port: %4$d
                    starttls: OFF
                  connectTimeoutSeconds: 2
                  retry:
                    initialDelaySeconds: 1
                    maxDelaySeconds: 2
                admin:
                  port: %5$d
                  jmx: false
                embeddedMailbox:
                  enabled: false
                certstore:
                  directory: %2$s/var/certstore
                  keyPassword: file:%2$s/store.pass
                  revocation:
                    mode: SOFT_FAIL
                    fetchCrlDistributionPoints: false
                    ocsp: false
                  ldap:
                    urls: [ "%6$s" ]
                    baseDn: "%7$s"
                    filter: "(mail={0})"
                    bindDn: "%8$s"
                    bindPassword: file:%2$s/ldap.pass
                    negativeCacheTtlSeconds: 1
                    harvestBaseDn: "ou=Harvested,%7$s"
                    trustBaseDn: "ou=PKI,%7$s"
                policy:
                  file: %2$s/policy.yaml
                """.formatted(hostname, dir, node.smtpPort, nextHopPort, node.adminPort, slapd.url(), Slapd.BASE,
                Slapd.ADMIN_DN));
        return node;
    }

    Path config() {
        return dir.resolve("gateway.yaml");
    }

    String hostname() {
        return hostname;
    }

    int smtpPort() {
        return smtpPort;
    }

    String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    /** Starts the node and waits for its ready line. */
    void start() throws Exception {
        int before = process.logLines();
        process.start();
        process.awaitLog("gateway ready", before, Duration.ofSeconds(120));
    }

    /** kill -9. */
    void killHard() throws InterruptedException {
        process.killHard();
    }

    /** Messages in the node's spool (every area), as files on disk. */
    long spooled() throws IOException {
        Path spool = dir.resolve("var/spool");
        try (Stream<Path> files = Files.walk(spool)) {
            return files.filter(f -> f.toString().endsWith(".eml") && !f.getParent().endsWith("tmp")).count();
        }
    }

    /** Runs the gateway's command line ({@code java -jar smime-gateway.jar ARGS}) and returns exit code and output. */
    static Commands.Result cli(Path workDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(java());
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(ENVIRONMENT);
        return Commands.run(command, workDir, environment);
    }

    private static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("gateway.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built (the reactor packages it before this module)");
        }
        return jar;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
