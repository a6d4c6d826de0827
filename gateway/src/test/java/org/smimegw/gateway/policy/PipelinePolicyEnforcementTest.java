package org.smimegw.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.policy.PolicyFixture.message;
import static org.smimegw.gateway.policy.PolicyFixture.raw;
import static org.smimegw.gateway.policy.PolicyFixture.subject;

import java.nio.file.Path;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.TestPki;

/**
 * The same policy enforced in the pipeline alone (RCPT check off, as for mail whose answer changes between RCPT
 * and processing): a refused recipient is split off with a DSN to the sender (5.7.1, naming it and the reason)
 * while the others get their encrypted copy; a directory outage keeps the mail in the spool, retried, never sent
 * in clear, and delivered encrypted once the directory answers.
 */
class PipelinePolicyEnforcementTest {

    static final String POLICY = """
            domains:
              partner.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  RequireEncryptionSMIMEAlgorithm: AES256
              down.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
            """;

    @TempDir
    Path dir;

    @Test
    void refusedRecipientGetsADsnTheOthersTheirEncryptedCopy_andAnOutageDefersUntilTheDirectoryAnswers()
            throws Exception {
        TestPki pki = TestPki.create("Pipeline");
        TestPki.Issued bob = pki.issue("bob@partner.example");
        TestPki.Issued dave = pki.issue("dave@down.example");
        try (PolicyFixture gw = new PolicyFixture(dir, pki, POLICY, false, store -> {
            TestPki.Issued alice = pki.issue("alice@example.com");
            store.addUserKey(alice.privateKey(), alice.certificate(), alice.chain());
            PolicyFixture.addCertificate(store, bob);
            PolicyFixture.addCertificate(store, dave);
        })) {
            // refusal in the pipeline: accepted at RCPT (no check there), split in the pipeline
            var s = gw.send("alice@example.com", List.of("bob@partner.example", "nocert@partner.example"),
                    message("alice@example.com", "bob@partner.example, nocert@partner.example", null, "p1 split",
                            "MARKER-split"));
            assertThat(s.rcptReplies()).allMatch(r -> r.startsWith("250"));
            MimeMessage got = gw.await("p1", subject("p1 split"));
            assertThat(PolicyFixture.cms(got).recipients()).isEqualTo(1);
            String dsn = gw.awaitDsn("alice@example.com", "p1 split");
            assertThat(dsn).contains("Final-Recipient: rfc822; nocert@partner.example").contains("Status: 5.7.1")
                    .contains("no usable certificate").doesNotContain("Final-Recipient: rfc822; bob@partner.example");

            // directory outage: deferred (retried), never delivered in clear
            gw.directoryDown.set(true);
            gw.send("alice@example.com", List.of("dave@down.example"),
                    message("alice@example.com", "dave@down.example", null, "p2 down", "MARKER-down"));
            var defers = gw.metrics.counter("policy.decision.RequireEncryptedSMIMEMessages.defer");
            for (int i = 0; i < 1200 && defers.getCount() < 2; i++) {
                Thread.sleep(100);
            }
            assertThat(defers.getCount()).as("deferred and retried").isGreaterThanOrEqualTo(2);
            assertThat(gw.received(subject("p2 down"))).isEmpty();
            assertThat(gw.app.spool().list(org.smimegw.gateway.spool.SpoolArea.INCOMING)).isNotEmpty();

            gw.directoryDown.set(false);
            MimeMessage later = gw.await("p2", subject("p2 down"));
            assertThat(PolicyFixture.cms(later).algorithmOid()).isEqualTo("2.16.840.1.101.3.4.1.42");

            for (MimeMessage m : gw.greenMail().getReceivedMessages()) {
                assertThat(raw(m)).doesNotContain("MARKER-split").doesNotContain("MARKER-down");
            }
        }
    }
}
