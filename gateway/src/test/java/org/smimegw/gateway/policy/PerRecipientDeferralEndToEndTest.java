package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.raw;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

/**
 * One deferred recipient does not hold back the others: a mail to two recipients whose certificates are both in the
 * LDAP directory (UnboundID in-memory server over TCP on 127.0.0.1), while the directory answers for partner.example
 * and is unavailable for down.example. The partner is delivered at once, encrypted; the other recipient waits alone
 * in the spool (retried), never in clear, and is delivered encrypted once the directory answers again.
 */
class PerRecipientDeferralEndToEndTest {

    static final String BASE = "dc=example";
    static final String POLICY = """
            domains:
              partner.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
              down.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
            """;

    @TempDir
    Path dir;
    InMemoryDirectoryServer directory;

    @AfterEach
    void stop() {
        if (directory != null) {
            directory.shutDown(true);
        }
    }

    @Test
    void theRecipientWhoseDirectoryAnswersIsDeliveredAtOnceTheOtherWhenItsDirectoryIsBack() throws Exception {
        TestPki pki = TestPki.create("Deferral");
        TestPki.Issued bob = pki.issue("bob@partner.example");
        TestPki.Issued dave = pki.issue("dave@down.example");
        AtomicBoolean downExampleUnavailable = new AtomicBoolean(true);
        directory = directory(downExampleUnavailable, bob, dave);

        String ldap = """
                ldap:
                  urls: [ "ldap://127.0.0.1:%d" ]
                  baseDn: "%s"
                  filter: "(mail={0})"
                  connectTimeoutMillis: 1000
                  responseTimeoutMillis: 2000
                  retryAfterFailureMillis: 0
                """.formatted(directory.getListenPort(), BASE);
        try (PolicyFixture gw = new PolicyFixture(dir, pki, POLICY, false, ldap, store -> {
            TestPki.Issued alice = pki.issue("alice@example.com");
            store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
        })) {
            var s = gw.send("alice@example.com", List.of("bob@partner.example", "dave@down.example"),
                    message("alice@example.com", "bob@partner.example, dave@down.example", null, "d1 two",
                            "MARKER-two"));
            assertThat(s.rcptReplies()).allMatch(r -> r.startsWith("250"));

            // bob at once, encrypted to him alone, while dave's directory is still down
            MimeMessage toBob = gw.await("bob's copy", subject("d1 two"));
            assertThat(toBob.getAllRecipients()).isNotNull();
            assertThat(PolicyFixture.cms(toBob).recipients()).isEqualTo(1);
            assertThat(PolicyEnforcementEndToEndTest.decryptPart(toBob, bob).getContent().toString())
                    .contains("MARKER-two");

            // dave waits in the spool, alone, and is retried there
            var defers = gw.metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.defer");
            for (int i = 0; i < 600 && defers.getCount() < 2; i++) {
                Thread.sleep(100);
            }
            assertThat(defers.getCount()).as("deferred, then retried from the spool").isGreaterThanOrEqualTo(2);
            // a retry stores its new copy before it deletes the entry it ran from: wait out that moment
            List<SpoolEntry> waiting = gw.app.spool().list(SpoolArea.INCOMING);
            for (int i = 0; i < 100 && waiting.size() > 1; i++) {
                Thread.sleep(50);
                waiting = gw.app.spool().list(SpoolArea.INCOMING);
            }
            assertThat(waiting).singleElement().satisfies(e ->
                    assertThat(e.envelope().recipients()).containsExactly("dave@down.example"));
            assertThat(gw.received(subject("d1 two"))).hasSize(1);

            downExampleUnavailable.set(false);
            MimeMessage later = null;
            for (int i = 0; i < 1200 && later == null; i++) {
                List<MimeMessage> both = gw.received(subject("d1 two"));
                later = both.size() == 2 ? both.get(1) : null;
                Thread.sleep(later == null ? 100 : 0);
            }
            assertThat(later).as("dave's copy once the directory answers").isNotNull();
            assertThat(PolicyFixture.cms(later).recipients()).isEqualTo(1);
            assertThat(PolicyEnforcementEndToEndTest.decryptPart(later, dave).getContent().toString())
                    .contains("MARKER-two");

            for (MimeMessage m : gw.greenMail().getReceivedMessages()) {
                assertThat(raw(m)).doesNotContain("MARKER-two");
            }
        }
    }

    /**
     * bob and dave with their certificates; searches for a down.example address fail with UNAVAILABLE while
     * {@code downExampleUnavailable} is set, as a directory serving that domain would while it is down.
     */
    static InMemoryDirectoryServer directory(AtomicBoolean downExampleUnavailable, TestPki.Issued... users)
            throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getByName("127.0.0.1"), 0, null));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                if (downExampleUnavailable.get() && request.getRequest().getFilter().toString().contains("down.example")) {
                    throw new LDAPException(ResultCode.UNAVAILABLE, "the directory for down.example is unavailable");
                }
            }
        });
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        for (TestPki.Issued user : users) {
            String address = org.smimegw.certstore.Certificates.emailAddresses(user.certificate()).iterator().next();
            Entry entry = new Entry("cn=" + address + "," + BASE);
            entry.addAttribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson");
            entry.addAttribute("cn", address);
            entry.addAttribute("sn", address);
            entry.addAttribute("mail", address);
            entry.addAttribute("userCertificate;binary", user.certificate().getEncoded());
            server.add(entry);
        }
        server.startListening();
        return server;
    }
}
