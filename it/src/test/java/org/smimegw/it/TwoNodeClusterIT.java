package org.smimegw.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.bench.pki.InboundMessages;
import org.smimegw.certstore.testing.TestPki;

/**
 * Two gateway nodes as one service: a private OpenLDAP slapd (the shared directory: users, harvested certificates,
 * trust anchors and CRLs), HAProxy with the PROXY protocol in front of two gateway processes (the built jar, separate
 * state directories), and an external next hop (GreenMail in this JVM). The steps build on each other, in order:
 * certs publish to slapd, relay control by the real client address behind the proxy, a certificate harvested on node
 * a used for encryption by node b, reload of both nodes, and load with node a killed -9 in the middle (the balancer
 * sends new mail to b, a delivers its spool after a restart, nothing is lost). The figures of the last step go to
 * {@code it/target/it-results/two-node.txt}. Tagged {@code cluster}: it runs with {@code -Pit} (it/pom.xml).
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeClusterIT {
    private static final int LOAD_MESSAGES = Integer.getInteger("it.messages", 2000);
    private static final int LOAD_CONNECTIONS = 8;
    private static final InetAddress TRUSTED_CLIENT = address("127.0.0.2");
    private static final InetAddress OUTSIDE_CLIENT = address("127.0.0.3");

    /** Configurations, state and logs of every process; kept after the run for a look (it/target/it-work). */
    private static Path dir;

    private TestPki pki;
    private TestPki.Issued alice;
    private TestPki.Issued bob;
    private Slapd slapd;
    private NextHop nextHop;
    private GatewayNode a;
    private GatewayNode b;
    private HaProxy haproxy;

    @BeforeAll
    void cluster() throws Exception {
        ExternalProcess.require("slapd", "slapd ldap-utils");
        ExternalProcess.require("haproxy", "haproxy");
        dir = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        pki = TestPki.create("Cluster");
        alice = pki.issue("alice@example.com");
        bob = pki.issue(InboundMessages.PARTNER_SENDER);

        slapd = Slapd.start(Files.createDirectories(dir.resolve("slapd")));
        seedDirectory();
        int nextHopPort = ExternalProcess.freePort();
        nextHop = new NextHop(nextHopPort);

        a = GatewayNode.create("gw-a.test", dir.resolve("node-a"), slapd, nextHopPort);
        b = GatewayNode.create("gw-b.test", dir.resolve("node-b"), slapd, nextHopPort);
        Path p12 = TestPki.writePkcs12(alice, dir.resolve("alice.p12"), "p12-secret".toCharArray());
        for (GatewayNode node : List.of(a, b)) {
            // only alice's key goes into each node's own store: the trust comes from the directory
            assertThat(GatewayNode.cli(dir, "certs", "import-user", "--config", node.config().toString(),
                    p12.toString(), "--password-env", "P12_PASS").exit()).isZero();
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {haproxy, a, b, slapd}) {
            if (c != null) {
                c.close();
            }
        }
        if (nextHop != null) {
            nextHop.close();
        }
    }

    /** Base entries, alice's user entry, and the CA (anchor, intermediate, CRL) in the trust subtree ou=PKI. */
    private void seedDirectory() throws Exception {
        try (LDAPConnection ldap = slapd.connect()) {
            ldap.add(new Entry("dn: " + Slapd.BASE, "objectClass: top", "objectClass: dcObject",
                    "objectClass: organization", "dc: example", "o: Example"));
            for (String ou : List.of("People", "Harvested", "PKI")) {
                ldap.add(new Entry("dn: ou=" + ou + "," + Slapd.BASE, "objectClass: top",
                        "objectClass: organizationalUnit", "ou: " + ou));
            }
            ldap.add(new Entry("dn: cn=Alice,ou=People," + Slapd.BASE, "objectClass: top", "objectClass: person",
                    "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "cn: Alice", "sn: Smith",
                    "mail: alice@example.com"));
            Entry root = new Entry("dn: cn=Cluster Root CA,ou=PKI," + Slapd.BASE, "objectClass: top",
                    "objectClass: applicationProcess", "objectClass: pkiCA", "cn: Cluster Root CA");
            root.addAttribute(new Attribute("cACertificate;binary", pki.rootCertificate().getEncoded()));
            ldap.add(root);
            Entry issuing = new Entry("dn: cn=Cluster Issuing CA,ou=PKI," + Slapd.BASE, "objectClass: top",
                    "objectClass: applicationProcess", "objectClass: pkiCA", "cn: Cluster Issuing CA");
            issuing.addAttribute(new Attribute("cACertificate;binary", pki.intermediate().certificate().getEncoded()));
            ldap.add(issuing);
            Entry cdp = new Entry("dn: cn=Cluster Issuing CA CRL,ou=PKI," + Slapd.BASE, "objectClass: top",
                    "objectClass: cRLDistributionPoint", "cn: Cluster Issuing CA CRL");
            cdp.addAttribute(new Attribute("certificateRevocationList;binary",
                    pki.crl(Instant.now().plus(Duration.ofDays(7))).getEncoded()));
            ldap.add(cdp);
        }
    }

    @Test
    @Order(1)
    void certsPublishWritesAlicesCertificateToSlapd() throws Exception {
        Commands.Result dry = GatewayNode.cli(dir, "certs", "publish", "--config", a.config().toString(),
                "--dry-run", "alice@example.com");
        assertThat(dry.exit()).isZero();
        assertThat(dry.output()).contains("would add userCertificate;binary").contains("would add userSMIMECertificate");
        assertThat(alicesEntry().hasAttribute("userSMIMECertificate")).isFalse();

        Commands.Result real = GatewayNode.cli(dir, "certs", "publish", "--config", a.config().toString(),
                "alice@example.com");
        assertThat(real.exit()).isZero();
        SearchResultEntry entry = alicesEntry();
        assertThat(entry.getAttributeValueBytes("userCertificate;binary")).isEqualTo(alice.certificate().getEncoded());
        assertThat(entry.getAttribute("userSMIMECertificate").getValues()).hasSize(1);
        assertThat(GatewayNode.cli(dir, "certs", "publish", "--config", b.config().toString(), "alice@example.com")
                .output()).contains("up to date");
    }

    private SearchResultEntry alicesEntry() throws Exception {
        try (LDAPConnection ldap = slapd.connect()) {
            return ldap.getEntry("cn=Alice,ou=People," + Slapd.BASE, "userCertificate;binary", "userSMIMECertificate");
        }
    }

    @Test
    @Order(2)
    void bothNodesRunBehindHaproxy() throws Exception {
        a.start();
        b.start();
        haproxy = HaProxy.start(Files.createDirectories(dir.resolve("haproxy")), a.smtpPort(), b.smtpPort());
        haproxy.awaitStatus("a", "UP", Duration.ofSeconds(30));
        haproxy.awaitStatus("b", "UP", Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void relayControlJudgesTheRealClientAddressBehindTheProxy() throws Exception {
        try (SmtpSession trusted = new SmtpSession(haproxy.port(), TRUSTED_CLIENT)) {
            assertThat(trusted.transaction("relay@client.test", "someone@partner.example",
                    LoadClient.message(-1, "relay@client.test", "someone@partner.example"))).startsWith("250 ");
        }
        try (SmtpSession outside = new SmtpSession(haproxy.port(), OUTSIDE_CLIENT)) {
            assertThat(outside.command("MAIL FROM:<spam@outside.test>")).startsWith("250 ");
            assertThat(outside.command("RCPT TO:<someone@partner.example>")).isEqualTo("554 5.7.1 Relaying denied");
            assertThat(outside.command("RCPT TO:<alice@example.com>")).startsWith("250 ");
        }
        MimeMessage relayed = awaitDelivered(m -> "-1".equals(header(m, "X-Test-Id")));
        assertThat(header(relayed, "Received")).contains("([127.0.0.2])");
    }

    @Test
    @Order(4)
    void aCertificateHarvestedOnNodeAIsUsedForEncryptionByNodeB() throws Exception {
        MessageTemplate signed = InboundMessages.create(dir.resolve("signed-by-bob.eml"), 2048, bob, alice, false);
        try (SmtpSession direct = new SmtpSession(a.smtpPort(), OUTSIDE_CLIENT)) { // a partner's server, directly
            assertThat(direct.greeting()).contains("gw-a.test");
            assertThat(direct.transaction(InboundMessages.PARTNER_SENDER, "alice@example.com",
                    new String(signed.content(), StandardCharsets.ISO_8859_1))).startsWith("250 ");
        }
        awaitHarvestEntry(InboundMessages.PARTNER_SENDER);

        String body = "reply to bob, encrypted by node b with the certificate node a harvested";
        try (SmtpSession direct = new SmtpSession(b.smtpPort(), TRUSTED_CLIENT)) {
            assertThat(direct.greeting()).contains("gw-b.test");
            assertThat(direct.transaction("alice@example.com", InboundMessages.PARTNER_SENDER,
                    "From: alice@example.com\r\nTo: " + InboundMessages.PARTNER_SENDER
                            + "\r\nSubject: harvested\r\nX-Test-Id: harvested\r\n\r\n" + body + "\r\n"))
                    .startsWith("250 ");
        }
        MimeMessage reply = awaitDelivered(m -> "harvested".equals(header(m, "X-Test-Id")));
        assertThat(header(reply, "Received")).contains("by gw-b.test");
        assertThat(reply.getContentType()).contains("application/pkcs7-mime").contains("enveloped-data");
        RecipientInformation forBob = new SMIMEEnveloped(reply).getRecipientInfos().getRecipients().iterator().next();
        byte[] decrypted = forBob.getContent(new JceKeyTransEnvelopedRecipient(bob.privateKey()));
        assertThat(new String(decrypted, StandardCharsets.UTF_8)).contains(body);
    }

    private void awaitHarvestEntry(String address) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (LDAPConnection ldap = slapd.connect()) {
            while (ldap.getEntry("cn=" + address + ",ou=Harvested," + Slapd.BASE) == null) {
                assertThat(System.nanoTime()).as("harvest entry for " + address + " in slapd").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    @Test
    @Order(5)
    void reloadTargetsBothNodes() throws Exception {
        Commands.Result r = GatewayNode.cli(dir, "reload", "--admin", a.adminUrl(), "--admin", b.adminUrl());
        assertThat(r.exit()).isZero();
        assertThat(r.output()).contains(a.adminUrl() + ": reloaded: ").contains(b.adminUrl() + ": reloaded: ")
                .contains("directory trust 1 anchor(s), 1 intermediate(s), 1 CRL(s)");
    }

    @Test
    @Order(6)
    void nodeAKilledDuringLoadLosesNothing() throws Exception {
        Instant start = Instant.now();
        LoadClient load = new LoadClient(haproxy.port(), TRUSTED_CLIENT, "load@client.test", "sink@partner.example");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread sender = Thread.ofPlatform().name("load").start(() -> {
            try {
                load.send(LOAD_MESSAGES, LOAD_CONNECTIONS);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        awaitAccepted(load, LOAD_MESSAGES / 4);
        // the next hop refuses for a while: both nodes keep what they accept in their spools
        nextHop.refuse(true);
        awaitAccepted(load, LOAD_MESSAGES / 2);
        a.killHard();
        long stranded = a.spooled();
        Instant killedAt = Instant.now();
        haproxy.awaitStatus("a", "DOWN", Duration.ofSeconds(30));
        sender.join(Duration.ofMinutes(10).toMillis());
        assertThat(failure.get()).as("load client").isNull();
        assertThat(load.accepted()).isEqualTo(LOAD_MESSAGES);

        Instant restartedAt = Instant.now();
        int deliveredBeforeRestart = nextHop.messages().size();
        a.start();
        nextHop.refuse(false);
        List<MimeMessage> all;
        Map<String, Integer> ids;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            all = nextHop.messages();
            ids = countIds(all);
            if (ids.size() >= LOAD_MESSAGES || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        Duration elapsed = Duration.between(start, Instant.now());

        int duplicates = ids.values().stream().mapToInt(c -> c - 1).sum();
        int lost = LOAD_MESSAGES - ids.size();
        long acceptedByA = load.acceptedBy().values().stream().filter("gw-a.test"::equals).count();
        long acceptedByB = load.acceptedBy().values().stream().filter("gw-b.test"::equals).count();
        long deliveredByA = all.stream().filter(m -> isLoad(m) && header(m, "Received").contains("by gw-a.test")).count();
        long deliveredByB = all.stream().filter(m -> isLoad(m) && header(m, "Received").contains("by gw-b.test")).count();
        long deliveredByAAfterRestart = all.subList(deliveredBeforeRestart, all.size()).stream()
                .filter(m -> isLoad(m) && header(m, "Received").contains("by gw-a.test")).count();
        String figures = String.format("""
                two-node test (%s)
                messages sent: %d on %d connections through haproxy, %d retried after a failed transaction
                accepted by node a: %d, by node b: %d
                node a killed -9 after %d accepted messages (%d s into the run); messages in its spool: %d
                delivered by node a: %d (%d of them after its restart), by node b: %d
                distinct messages delivered: %d, lost: %d, duplicates: %d
                time from first message to the last delivery: %.1f s (restart of node a at %.1f s)
                """, Instant.now(), LOAD_MESSAGES, LOAD_CONNECTIONS, load.retries(), acceptedByA, acceptedByB,
                LOAD_MESSAGES / 2, Duration.between(start, killedAt).toSeconds(), stranded, deliveredByA,
                deliveredByAAfterRestart, deliveredByB, ids.size(), lost, duplicates, elapsed.toMillis() / 1000.0,
                Duration.between(start, restartedAt).toMillis() / 1000.0);
        System.out.println(figures);
        Path results = Files.createDirectories(Path.of(System.getProperty("it.results", "target/it-results")));
        Files.writeString(results.resolve("two-node.txt"), figures);

        assertThat(lost).as(figures).isZero();
        assertThat(acceptedByA).as("mail spread over both nodes").isPositive();
        assertThat(acceptedByB).as("mail spread over both nodes").isPositive();
        assertThat(stranded).as("node a had mail in its spool when it was killed").isPositive();
        assertThat(deliveredByAAfterRestart).as("node a delivered its spool after the restart")
                .isGreaterThanOrEqualTo(stranded);
    }

    private static void awaitAccepted(LoadClient load, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (load.accepted() < count) {
            assertThat(System.nanoTime()).as("load reaching " + count + " accepted").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean isLoad(MimeMessage m) {
        String id = header(m, "X-Test-Id");
        return !id.isEmpty() && Character.isDigit(id.charAt(0));
    }

    private static Map<String, Integer> countIds(List<MimeMessage> messages) {
        Map<String, Integer> ids = new HashMap<>();
        for (MimeMessage m : messages) {
            if (isLoad(m)) {
                ids.merge(header(m, "X-Test-Id"), 1, Integer::sum);
            }
        }
        return ids;
    }

    private MimeMessage awaitDelivered(java.util.function.Predicate<MimeMessage> which) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : nextHop.messages()) {
                if (which.test(m)) {
                    return m;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not delivered to the next hop within 60 s");
    }

    /** All values of a header joined, "" when absent. */
    private static String header(MimeMessage m, String name) {
        try {
            String[] values = m.getHeader(name);
            return values == null ? "" : String.join("\n", values);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
