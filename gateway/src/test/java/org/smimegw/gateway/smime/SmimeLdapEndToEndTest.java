package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.config.ConfigLoader;

/**
 * Recipients' certificates from an LDAP directory (UnboundID in-memory server over TCP on 127.0.0.1), configured as
 * {@code certstore.ldap} of the running gateway with the shipped pipeline: the directory's certificate is used for
 * encryption, and while the directory is down the mail is not delivered at all (never in clear); it is delivered
 * encrypted once the directory is back.
 */
class SmimeLdapEndToEndTest {

    private static final String BASE = "dc=partner,dc=example";

    private static TestPki pki;
    private static TestPki.Issued alice;
    private static TestPki.Issued dave;

    @TempDir
    Path dir;
    private SmimeGatewayFixture gateway;
    private InMemoryDirectoryServer directory;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("E2E LDAP");
        alice = pki.issue("alice@example.com");
        dave = pki.issue("dave@partner.example");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (directory != null) {
            directory.shutDown(true);
        }
    }

    /** A directory with dave's entry (mail + userCertificate;binary), listening on 127.0.0.1:port (0 = any). */
    private static InMemoryDirectoryServer directory(int port) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName("127.0.0.1"),
                port, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: partner");
        server.add("dn: ou=People," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: People");
        Entry entry = new Entry("cn=Dave,ou=People," + BASE);
        entry.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
        entry.addAttribute("cn", "Dave");
        entry.addAttribute("sn", "Dave");
        entry.addAttribute("mail", "dave@partner.example");
        entry.addAttribute("userCertificate;binary", dave.certificate().getEncoded());
        server.add(entry);
        return server;
    }

    /** Gateway config with certstore.ldap pointing at 127.0.0.1:port; the file store knows only trust and alice. */
    private void startGateway(int ldapPort) throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, """
                  ldap:
                    urls: [ "ldap://127.0.0.1:%d" ]
                    baseDn: "%s"
                    filter: "(mail={0})"
                    connectTimeoutMillis: 1000
                    responseTimeoutMillis: 2000
                    retryAfterFailureMillis: 0
                """.formatted(ldapPort, BASE));
        FileCertificateStore store = FileCertificateStore.fromConfig(
                new ConfigLoader().load(yaml).certstore(), dir, System::getenv);
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        gateway = SmimeGatewayFixture.start(dir);
    }

    private static String mailToDave(String body) {
        return "From: alice@example.com\r\nTo: dave@partner.example\r\nSubject: " + body + "\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n" + body + "\r\n";
    }

    private String decryptForDave(MimeMessage arrived, String name) throws Exception {
        assertThat(arrived.getContentType()).startsWith("application/pkcs7-mime");
        return SmimeGatewayFixture.decryptAndVerify(dir, gateway.save(arrived, name),
                TestPki.writePem(dir.resolve("dave.cert.pem"), dave.certificate()),
                TestPki.writePem(dir.resolve("dave.key.pem"), dave.privateKey()),
                TestPki.writePem(dir.resolve("root.pem"), pki.rootCertificate()));
    }

    @Test
    void theDirectorysCertificateIsUsedForEncryption() throws Exception {
        directory = directory(0);
        directory.startListening();
        startGateway(directory.getListenPort());

        gateway.send(mailToDave("found in the directory"), "alice@example.com", "dave@partner.example");

        MimeMessage arrived = gateway.awaitMail("dave@partner.example", 1).get(0);
        assertThat(decryptForDave(arrived, "ldap.eml")).contains("found in the directory");
        assertThat(gateway.app().certificates().orElseThrow().ldapCache().orElseThrow().misses()).isPositive();
    }

    @Test
    void directoryDownDefersTheMailAndItIsDeliveredEncryptedOnceTheDirectoryIsBack() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        startGateway(port); // nothing listens there yet: the directory is down

        assertThat(gateway.send(mailToDave("wait for the directory"), "alice@example.com", "dave@partner.example"))
                .startsWith("250");
        var failed = gateway.app().metrics().counter("pipeline.failed");
        SmimeGatewayFixture.await("two failed pipeline runs", () -> failed.getCount() >= 2);
        assertThat(gateway.inbox("dave@partner.example")).as("nothing delivered while the directory is down")
                .isEmpty();
        assertThat(gateway.app().metrics().counter("smime.encrypt.directory-unavailable").getCount()).isPositive();

        directory = directory(port);
        directory.startListening();

        List<MimeMessage> arrived = gateway.awaitMail("dave@partner.example", 1);
        assertThat(arrived).hasSize(1);
        assertThat(decryptForDave(arrived.get(0), "after-outage.eml")).contains("wait for the directory");
    }
}
