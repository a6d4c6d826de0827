package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.CertificateInclusion;

/** Sender / recipient / policy / key / certificate situations -> what outbound policy decides. */
class OutboundDecisionTableTest {

    private static final String POLICY = """
            global:
              OWAEncryptionAlgorithms: [AES256, AES256GCM, AES192, AES128, AES128GCM]
            domains:
              enc.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
              strong.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
              block.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  RequireEncryptionSMIMEAlgorithm: AES256
                  AllowSMIMEEncryptionAlgorithmNegotiation: BlockNegotiation
              signed.example:
                Receiving:
                  RequireSignedSMIMEMessages: true
              opportunistic.example:
                Receiving:
                  OWAAlwaysSign: true
                  OWAAlwaysEncrypt: true
              crl.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  OWACheckCRLOnSend: true
              gcm.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  OWAEncryptionAlgorithms: [AES256GCM, AES128GCM]
                  RequireEncryptionSMIMEAlgorithm: AES256GCM
            users:
              hw@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  AllowSMIMESoftCerts: false
              signer@example.com:
                Sending:
                  RequireSignedSMIMEMessages: true
                  RequireSignedSMIMEAlgorithm: SHA384
                  OWATripleWrapSignedEncryptedMail: true
            """;

    private static final String WEAK_POLICY = """
            global:
              AllowWeakAlgorithms: true
              OWAEncryptionAlgorithms: [AES256, AES128, TripleDES, RC2128bit]
            domains:
              old.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
              strongonly.example:
                Receiving:
                  RequireEncryptedSMIMEMessages: true
                  AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
            """;

    private static PolicySet policy;
    private static PolicySet weakPolicy;
    private final PolicyDecisions decisions = new PolicyDecisions();

    @BeforeAll
    static void load() throws ConfigFileException {
        policy = PolicyFixtures.parse(POLICY);
        weakPolicy = PolicyFixtures.parse(WEAK_POLICY);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                          | policy | sender             | recipient               | key  | certificate          | outcome | setting                                  | expect
            required encryption, no certificate: 5.7.1      | main   | a@example.com      | b@enc.example           | none | none                 | refuse  | RequireEncryptedSMIMEMessages            | b@enc.example has no usable certificate
            required encryption, directory down: 4.4.3      | main   | a@example.com      | b@enc.example           | none | down                 | defer   | RequireEncryptedSMIMEMessages            | never sent in clear
            required encryption, nothing announced          | main   | a@example.com      | b@enc.example           | none | caps:                | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=-
            required algorithm announced                    | main   | a@example.com      | b@enc.example           | none | caps:AES128 AES256   | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=-
            AllowAny negotiates to what they announce       | main   | a@example.com      | b@enc.example           | none | caps:AES128          | send    | RequireEncryptedSMIMEMessages            | enc=AES128 sign=-
            AllowAny picks in policy order                  | main   | a@example.com      | b@enc.example           | none | caps:AES128GCM AES192| send    | RequireEncryptedSMIMEMessages            | enc=AES192 sign=-
            AllowAny never picks a weak one when not allowed| main   | a@example.com      | b@enc.example           | none | caps:TripleDES       | refuse  | AllowSMIMEEncryptionAlgorithmNegotiation | announced only TripleDES
            OnlyStrong negotiates among strong ones         | main   | a@example.com      | b@strong.example        | none | caps:AES192 TripleDES| send    | RequireEncryptedSMIMEMessages            | enc=AES192 sign=-
            OnlyStrong refuses below the strong set         | main   | a@example.com      | b@strong.example        | none | caps:TripleDES RC2128bit | refuse | AllowSMIMEEncryptionAlgorithmNegotiation | OnlyStrongAlgorithmNegotiation: the recipient announced only TripleDES, RC240bit, RC264bit, RC2128bit
            BlockNegotiation uses the required algorithm    | main   | a@example.com      | b@block.example         | none | caps:AES128 AES256   | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=-
            BlockNegotiation with nothing announced         | main   | a@example.com      | b@block.example         | none | caps:                | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=-
            BlockNegotiation refuses anything else          | main   | a@example.com      | b@block.example         | none | caps:AES128 AES192   | refuse  | AllowSMIMEEncryptionAlgorithmNegotiation | BlockNegotiation: the recipient announced only AES128, AES192, not RequireEncryptionSMIMEAlgorithm AES256
            GCM only recipient policy                       | main   | a@example.com      | b@gcm.example           | none | caps:AES256GCM       | send    | RequireEncryptedSMIMEMessages            | enc=AES256GCM sign=-
            required signing, no key: 5.7.1                 | main   | a@example.com      | b@signed.example        | none | none                 | refuse  | RequireSignedSMIMEMessages               | a@example.com has no usable signing key
            required signing, software key allowed          | main   | a@example.com      | b@signed.example        | soft | none                 | send    | RequireSignedSMIMEMessages               | enc=- sign=SHA256
            soft cert refused when AllowSMIMESoftCerts false| main   | hw@example.com     | b@other.example         | soft | none                 | refuse  | AllowSMIMESoftCerts                      | software keystore and AllowSMIMESoftCerts is false
            hardware key used when soft certs refused       | main   | hw@example.com     | b@other.example         | hard | none                 | send    | RequireSignedSMIMEMessages               | enc=- sign=SHA256
            signed SHA384 and encrypted, triple wrapped     | main   | signer@example.com | b@enc.example           | soft | caps:AES256          | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=SHA384 wrap
            opportunistic: nothing possible, sent as is     | main   | a@example.com      | b@opportunistic.example | none | none                 | send    | none                                     | enc=- sign=-
            opportunistic: both possible                    | main   | a@example.com      | b@opportunistic.example | hard | caps:AES256          | send    | OWAAlwaysEncrypt                         | enc=AES256 sign=SHA256
            opportunistic: directory down defers, no downgrade | main | a@example.com     | b@opportunistic.example | none | down                 | defer   | OWAAlwaysEncrypt                         | never sent in clear
            CRL unreachable with OWACheckCRLOnSend: 4.4.3   | main   | a@example.com      | b@crl.example           | none | crl-unknown          | defer   | OWACheckCRLOnSend                        | revocation status
            CRL unreachable without OWACheckCRLOnSend       | main   | a@example.com      | b@enc.example           | none | crl-unknown          | send    | RequireEncryptedSMIMEMessages            | enc=AES256 sign=-
            nothing required, nothing done                  | main   | a@example.com      | b@other.example         | soft | caps:AES256          | send    | none                                     | enc=- sign=-
            weak allowed: negotiates TripleDES              | weak   | a@example.com      | b@old.example           | none | caps:TripleDES       | send    | RequireEncryptedSMIMEMessages            | enc=TripleDES sign=-
            weak allowed: RC2 OID matches listed RC2 variant| weak   | a@example.com      | b@old.example           | none | caps:RC240bit        | send    | RequireEncryptedSMIMEMessages            | enc=RC2128bit sign=-
            weak allowed but OnlyStrong refuses TripleDES   | weak   | a@example.com      | b@strongonly.example    | none | caps:TripleDES       | refuse  | AllowSMIMEEncryptionAlgorithmNegotiation | OnlyStrongAlgorithmNegotiation
            """)
    void decides(String name, String which, String sender, String recipient, String key, String certificate,
                 String outcome, String setting, String expect) {
        PolicySet set = which.equals("weak") ? weakPolicy : policy;
        EffectivePolicy p = set.resolveOutbound(sender, recipient);

        OutboundDecision d = decisions.decideOutbound(p, key(key), certificate(certificate));

        assertThat(d.outcome()).as(d.toString()).isEqualTo(outcome);
        assertThat(d.setting()).as(d.toString()).isEqualTo(setting);
        switch (d) {
            case OutboundDecision.Send send -> assertThat(summary(send)).isEqualTo(expect);
            case OutboundDecision.Refuse refuse -> {
                assertThat(refuse.reason()).contains(expect);
                assertThat(refuse.smtpReply()).startsWith("550 5.7.1 ");
            }
            case OutboundDecision.Defer defer -> {
                assertThat(defer.reason()).contains(expect);
                assertThat(defer.smtpReply()).startsWith("451 4.4.3 ");
            }
        }
    }

    @Test
    void requiredEncryptionIsNeverDroppedWhateverTheCertificateSituation() {
        // every required-encryption pair and every certificate situation: encrypted, refused or deferred; never clear
        String[] recipients = {"b@enc.example", "b@strong.example", "b@block.example", "b@crl.example", "b@gcm.example"};
        String[] certificates = {"none", "down", "crl-unknown", "caps:", "caps:AES128", "caps:TripleDES",
                "caps:AES256GCM", "caps:RC240bit DES"};
        for (String r : recipients) {
            for (String c : certificates) {
                for (String k : new String[] {"none", "soft", "hard"}) {
                    OutboundDecision d = decisions.decideOutbound(policy.resolveOutbound("a@example.com", r), key(k),
                            certificate(c));
                    if (d instanceof OutboundDecision.Send send) {
                        assertThat(send.encryption()).as(r + " " + c + " " + k).isPresent();
                    }
                }
            }
        }
    }

    @Test
    void signingPlanCarriesTheFormatSettings() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                global:
                  RequireSignedSMIMEMessages: true
                  OWAClearSign: false
                  OWAIncludeCertificateChainAndRootCertificate: true
                  OWAIncludeSMIMECapabilitiesInMessage: false
                  OWAUseKeyIdentifier: true
                  OWABCCEncryptedEmailForking: 2
                  OWAAlwaysEncrypt: true
                """);
        OutboundDecision d = decisions.decideOutbound(set.resolveOutbound("a@example.com", "b@x.example"),
                key("soft"), certificate("caps:AES256"));

        OutboundDecision.Send send = (OutboundDecision.Send) d;
        SigningPlan s = send.signing().orElseThrow();
        assertThat(s.clearSign()).isFalse();
        assertThat(s.chain()).isEqualTo(CertificateInclusion.CHAIN_AND_ROOT);
        assertThat(s.capabilitiesToAnnounce()).isEmpty();
        assertThat(s.storage()).isEqualTo(KeyStorage.SOFTWARE);
        EncryptionPlan e = send.encryption().orElseThrow();
        assertThat(e.useKeyIdentifier()).isTrue();
        assertThat(e.bccForking()).isEqualTo(BccForking.NO_FORKING);
        assertThat(send.tripleWrap()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # SMIMEHeaderProtection at the recipient's domain | key  | certificate | expected hp
            default                                             | none | caps:AES256 | CIPHER
            default                                             | soft | none        | -
            default                                             | soft | caps:AES256 | CIPHER
            Encrypted                                           | soft | none        | -
            Always                                              | soft | none        | CLEAR
            Always                                              | soft | caps:AES256 | CIPHER
            Always                                              | none | none        | -
            Off                                                 | soft | caps:AES256 | -
            """)
    void headerProtectionFollowsSMIMEHeaderProtection(String value, String key, String certificate, String expected)
            throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("global:\n  OWAAlwaysSign: true\n  OWAAlwaysEncrypt: true\n"
                + (value.equals("default") ? "" : "domains:\n  x.example:\n    SMIMEHeaderProtection: " + value + "\n"));
        OutboundDecision.Send send = (OutboundDecision.Send) decisions.decideOutbound(
                set.resolveOutbound("a@example.com", "b@x.example"), key(key), certificate(certificate));

        assertThat(send.headerProtection().map(Enum::name).orElse("-")).isEqualTo(expected);
    }

    @Test
    void anUnknownHeaderProtectionValueIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicyFixtures.parse("""
                global:
                  SMIMEHeaderProtection: on
                """)).hasMessageContaining("unknown value 'on' for SMIMEHeaderProtection")
                .hasMessageContaining("Off, Encrypted, Always");
    }

    @Test
    void pairConflictRefusesRequiredEncryption() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                domains:
                  example.com:
                    Sending:
                      OWAEncryptionAlgorithms: [AES256]
                  old.example:
                    Receiving:
                      RequireEncryptedSMIMEMessages: true
                      OWAEncryptionAlgorithms: [AES128]
                      RequireEncryptionSMIMEAlgorithm: AES128
                """);
        OutboundDecision d = decisions.decideOutbound(set.resolveOutbound("a@example.com", "b@old.example"),
                key("none"), certificate("caps:AES128 AES256"));

        assertThat(d).isInstanceOf(OutboundDecision.Refuse.class);
        assertThat(d.setting()).isEqualTo("OWAEncryptionAlgorithms");
        assertThat(d.reason()).contains("policies conflict").contains("nothing in common");
    }

    static SigningKeyFact key(String key) {
        CertificateSummary cert = new CertificateSummary("CN=sender", "1", "AA");
        return switch (key) {
            case "soft" -> new SigningKeyFact.Usable(cert, KeyStorage.SOFTWARE);
            case "hard" -> new SigningKeyFact.Usable(cert, KeyStorage.HARDWARE);
            default -> new SigningKeyFact.Missing("no key held");
        };
    }

    static RecipientCertificateFact certificate(String spec) {
        CertificateSummary cert = new CertificateSummary("CN=recipient", "2", "BB");
        if (spec.equals("none")) {
            return new RecipientCertificateFact.None("no certificate published");
        }
        if (spec.equals("down")) {
            return new RecipientCertificateFact.DirectoryUnavailable("ldap://dc1: connection refused");
        }
        if (spec.equals("crl-unknown")) {
            return new RecipientCertificateFact.Valid(cert, SmimeCapabilities.UNKNOWN, RevocationStatus.UNKNOWN);
        }
        String list = spec.substring("caps:".length()).trim();
        EncryptionAlgorithm[] algs = list.isEmpty() ? new EncryptionAlgorithm[0]
                : Arrays.stream(list.split("\\s+")).map(n -> EncryptionAlgorithm.byPolicyName(n).orElseThrow())
                .toArray(EncryptionAlgorithm[]::new);
        return new RecipientCertificateFact.Valid(cert, PolicyFixtures.caps(algs), RevocationStatus.GOOD);
    }

    private static String summary(OutboundDecision.Send send) {
        return "enc=" + send.encryption().map(e -> e.algorithm().policyName()).orElse("-")
                + " sign=" + send.signing().map(s -> s.digest().policyName()).orElse("-")
                + (send.tripleWrap() ? " wrap" : "");
    }
}
