package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Properties;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.crypto.SenderBinding.Outcome;

/** The sender-binding rule, header by header, for a signer eve@evil.example. */
class SenderBindingTest {

    private static X509Certificate eve;

    @BeforeAll
    static void pki() {
        eve = TestPki.create("Binding").issue("eve@evil.example").certificate();
    }

    /** The headers (lines separated by |) as a message sent in UTF-8 (RFC 6532), as the gateway receives it. */
    private static MimeMessage withHeaders(String headers) throws Exception {
        String raw = headers.replace("|", "\r\n") + "\r\nSubject: s\r\n\r\nbody\r\n";
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static SenderBinding.Result bind(String fromHeaders, X509Certificate signer) throws Exception {
        return SenderBinding.of(withHeaders(fromHeaders)).bind(signer);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '~', value = {
            "From: eve@evil.example ~ BOUND",
            "From: Eve <eve@evil.example> ~ BOUND",
            "From: \"Eve Example\" <EVE@Evil.Example> ~ BOUND",
            "From: \"eve@evil.example\" <eve@evil.example> ~ BOUND",
            "FROM: eve@evil.example ~ BOUND",
            // several mailboxes or headers: whichever a client shows, it is not the one checked
            "From: eve@evil.example, manager@bigcorp.example ~ AMBIGUOUS",
            "From: manager@bigcorp.example, eve@evil.example ~ AMBIGUOUS",
            "From: eve@evil.example|From: manager@bigcorp.example ~ AMBIGUOUS",
            "From: manager@bigcorp.example|From: eve@evil.example ~ AMBIGUOUS",
            "From: Managers: eve@evil.example; ~ AMBIGUOUS",
            "From: The Manager ~ AMBIGUOUS",
            "From: ~ AMBIGUOUS",
            "To: johnny@example.com ~ AMBIGUOUS",
            "From: <> ~ AMBIGUOUS",
            // one mailbox, but it or its display text is someone else
            "From: manager@bigcorp.example ~ MISMATCH",
            "From: \"manager@bigcorp.example\" <eve@evil.example> ~ MISMATCH",
            "From: manager@bigcorp.example <eve@evil.example> ~ MISMATCH",
            "From: eve@evil.example (manager@bigcorp.example) ~ MISMATCH",
            "From: Eve <eve@evil.example> (manager@bigcorp.example) ~ MISMATCH",
            "From: =?utf-8?b?bWFuYWdlckBiaWdjb3JwLmV4YW1wbGU=?= <eve@evil.example> ~ MISMATCH",
            "From: \"CEO manager\uFF20bigcorp.example\" <eve@evil.example> ~ MISMATCH",
            "From: eve@evil.example <manager@bigcorp.example> ~ MISMATCH",
            "Sender: eve@evil.example|From: manager@bigcorp.example ~ MISMATCH",
    })
    void fromHeaderAgainstEvesCertificate(String headers, Outcome expected) throws Exception {
        SenderBinding.Result result = bind(headers.strip(), eve);
        assertThat(result.outcome()).as(result.reason()).isEqualTo(expected);
        if (expected == Outcome.BOUND) {
            assertThat(result.address()).isEqualTo("eve@evil.example");
            assertThat(result.reason()).isNull();
        } else {
            assertThat(result.address()).isNull();
            assertThat(result.reason()).isNotBlank();
        }
    }

    @Test
    void reasonsSayWhatAPersonNeedsToKnow() throws Exception {
        assertThat(bind("From: a@x.example, eve@evil.example", eve).reason())
                .isEqualTo("ambiguous sender: the From header holds 2 mailboxes; a client may show any of them");
        assertThat(bind("From: eve@evil.example|From: a@x.example", eve).reason())
                .isEqualTo("ambiguous sender: the message has 2 From headers; a client may show any of them");
        assertThat(bind("From: \"manager@bigcorp.example\" <eve@evil.example>", eve).reason())
                .isEqualTo("the From header also shows manager@bigcorp.example (as display name or comment), which is"
                        + " not the signer eve@evil.example");
        assertThat(bind("From: manager@bigcorp.example", eve).reason())
                .isEqualTo("signed by eve@evil.example, but the message is From manager@bigcorp.example");
    }

    @Test
    void internationalisedDomainsCompareInTheirAsciiForm() throws Exception {
        TestPki pki = TestPki.create("Idn");
        X509Certificate aLabel = pki.issue("anna@xn--bcher-kva.example").certificate();
        assertThat(bind("From: Anna <anna@bücher.example>", aLabel).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(bind("From: ANNA@XN--BCHER-KVA.example", aLabel).outcome()).isEqualTo(Outcome.BOUND);
        // a Cyrillic "а" (U+0430) in the domain is another domain
        assertThat(bind("From: anna@xn--bcher-kva.ex\u0430mple", aLabel).outcome()).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void theSubjectEmailAddressCountsOnlyWithoutSubjectAltName() throws Exception {
        TestPki pki = TestPki.create("Legacy");
        X509Certificate legacy = pki.user("old@legacy.example").emailInSubjectOnly().issue().certificate();
        assertThat(bind("From: old@legacy.example", legacy).outcome()).isEqualTo(Outcome.BOUND);

        // the SAN says who the CA vouched for; an E= beside it is not looked at
        X509Certificate both = pki.user("boss@legacy.example").subjectAltNames("clerk@legacy.example").issue()
                .certificate();
        assertThat(bind("From: clerk@legacy.example", both).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(bind("From: boss@legacy.example", both).outcome()).isEqualTo(Outcome.MISMATCH);

        X509Certificate none = pki.user("nobody@legacy.example").withoutEmailAddress().issue().certificate();
        assertThat(bind("From: nobody@legacy.example", none).reason())
                .isEqualTo("the signer's certificate names no e-mail address, so it cannot vouch for From"
                        + " nobody@legacy.example");
    }

    @Test
    void aCertificateWithSeveralAddressesMayShowAnyOfThemInTheDisplayName() throws Exception {
        X509Certificate two = TestPki.create("Two").user("a@one.example").subjectAltNames("a@one.example",
                "a@two.example").issue().certificate();
        assertThat(bind("From: \"a@two.example\" <a@one.example>", two).outcome()).isEqualTo(Outcome.BOUND);
        assertThat(bind("From: a@two.example", two).address()).isEqualTo("a@two.example");
    }
}
