package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;
import org.smimegw.mailets.crypto.CertificateInclusion;

import org.smimegw.mailets.config.ConfigFileException;

/** Inheritance: default <- global <- *.wildcard (shorter first) <- exact domain <- user; role blocks win per level. */
class PolicyInheritanceTest {

    private static final String YAML = """
            global:                                   # line 1
              RequireSignedSMIMEAlgorithm: SHA384
              OWAClearSign: false
            domains:
              "*.com":                                # line 5
                OWAUseKeyIdentifier: true
              "*.example.com":
                RequireSignedSMIMEAlgorithm: SHA512
                OWATripleWrapSignedEncryptedMail: true
              eu.example.com:                         # line 10
                RequireEncryptedSMIMEMessages: true
              partner.example:
                OWAAlwaysSign: true
                Receiving:
                  RequireEncryptedSMIMEMessages: true # line 15
                  RequireEncryptionSMIMEAlgorithm: AES128
                Sending:
                  RequireSignedSMIMEMessages: true
            users:
              boss@eu.example.com:                    # line 20
                RequireSignedSMIMEAlgorithm: SHA256
                Sending:
                  RequireSignedSMIMEMessages: true
              alice@partner.example:
                Receiving:                            # line 25
                  RequireEncryptedSMIMEMessages: false
            """;

    private static PolicySet policy;

    @BeforeAll
    static void load() throws ConfigFileException {
        policy = PolicyFixtures.parse(YAML);
    }

    @ParameterizedTest(name = "{0} {1}: {2} = {3} from {4} {5} line {6}")
    @CsvSource(delimiter = '|', textBlock = """
            # address               | role      | setting                          | value    | level           | entry                 | line
            x@other.org             | SENDING   | RequireSignedSMIMEAlgorithm      | SHA384   | GLOBAL          |                       | 2
            x@other.org             | SENDING   | OWAUseKeyIdentifier              | false    | DEFAULT         |                       | 0
            x@other.org             | SENDING   | RequireEncryptionSMIMEAlgorithm  | AES256   | DEFAULT         |                       | 0
            x@shop.com              | SENDING   | OWAUseKeyIdentifier              | true     | WILDCARD_DOMAIN | *.com                 | 6
            x@shop.com              | SENDING   | RequireSignedSMIMEAlgorithm      | SHA384   | GLOBAL          |                       | 2
            x@a.example.com         | SENDING   | RequireSignedSMIMEAlgorithm      | SHA512   | WILDCARD_DOMAIN | *.example.com         | 8
            x@a.b.example.com       | RECEIVING | OWATripleWrapSignedEncryptedMail | true     | WILDCARD_DOMAIN | *.example.com         | 9
            x@a.example.com         | SENDING   | OWAUseKeyIdentifier              | true     | WILDCARD_DOMAIN | *.com                 | 6
            x@example.com           | SENDING   | RequireSignedSMIMEAlgorithm      | SHA384   | GLOBAL          |                       | 2
            x@example.com           | SENDING   | OWAUseKeyIdentifier              | true     | WILDCARD_DOMAIN | *.com                 | 6
            x@eu.example.com        | RECEIVING | RequireEncryptedSMIMEMessages    | true     | DOMAIN          | eu.example.com        | 11
            x@eu.example.com        | SENDING   | RequireEncryptedSMIMEMessages    | true     | DOMAIN          | eu.example.com        | 11
            x@eu.example.com        | SENDING   | RequireSignedSMIMEAlgorithm      | SHA512   | WILDCARD_DOMAIN | *.example.com         | 8
            x@eu.example.com        | SENDING   | OWAClearSign                     | false    | GLOBAL          |                       | 3
            boss@eu.example.com     | SENDING   | RequireSignedSMIMEAlgorithm      | SHA256   | USER            | boss@eu.example.com   | 21
            BOSS@EU.Example.COM     | SENDING   | RequireSignedSMIMEMessages       | true     | USER            | boss@eu.example.com   | 23
            boss@eu.example.com     | RECEIVING | RequireSignedSMIMEMessages       | false    | DEFAULT         |                       | 0
            boss@eu.example.com     | RECEIVING | RequireEncryptedSMIMEMessages    | true     | DOMAIN          | eu.example.com        | 11
            bob@partner.example     | RECEIVING | RequireEncryptedSMIMEMessages    | true     | DOMAIN          | partner.example       | 15
            bob@partner.example     | SENDING   | RequireEncryptedSMIMEMessages    | false    | DEFAULT         |                       | 0
            bob@partner.example     | RECEIVING | RequireEncryptionSMIMEAlgorithm  | AES128   | DOMAIN          | partner.example       | 16
            bob@partner.example     | SENDING   | RequireSignedSMIMEMessages       | true     | DOMAIN          | partner.example       | 18
            bob@partner.example     | RECEIVING | RequireSignedSMIMEMessages       | false    | DEFAULT         |                       | 0
            bob@partner.example     | RECEIVING | OWAAlwaysSign                    | true     | DOMAIN          | partner.example       | 13
            bob@partner.example     | SENDING   | OWAAlwaysSign                    | true     | DOMAIN          | partner.example       | 13
            alice@partner.example   | RECEIVING | RequireEncryptedSMIMEMessages    | false    | USER            | alice@partner.example | 26
            alice@partner.example   | RECEIVING | RequireEncryptionSMIMEAlgorithm  | AES128   | DOMAIN          | partner.example       | 16
            <alice@partner.example> | SENDING   | RequireSignedSMIMEMessages       | true     | DOMAIN          | partner.example       | 18
            """)
    void settingComesFromTheMostSpecificLevelThatSetsIt(String address, Role role, String settingName, String value,
                                                        PolicyLevel level, String entry, int line) {
        Setting<?> setting = Settings.byName(settingName).orElseThrow();
        EffectiveSetting<?> effective = policy.partyPolicy(address, role).get(setting);

        assertThat(effective.formattedValue()).isEqualTo(value);
        assertThat(effective.origin().level()).isEqualTo(level);
        assertThat(effective.origin().entry()).isEqualTo(entry);
        assertThat(effective.origin().line()).isEqualTo(line);
    }

    @Test
    void roleBlockIsNamedInTheOrigin() {
        SettingOrigin origin = policy.partyPolicy("bob@partner.example", Role.RECEIVING)
                .get(Settings.REQUIRE_ENCRYPTED).origin();
        assertThat(origin.block()).isEqualTo(Role.RECEIVING);
        assertThat(origin.describe()).isEqualTo("domain partner.example (Receiving) (policy.yaml:15)");
        assertThat(SettingOrigin.defaultValue().describe()).isEqualTo("default");
    }

    @Test
    void outboundPairTakesRequirementsFromEitherSideAndTheStrongerAlgorithm() {
        // boss sends (signs, SHA256 from user) to partner (requires AES128 encryption when receiving)
        EffectivePolicy p = policy.resolveOutbound("boss@eu.example.com", "bob@partner.example");

        assertThat(p.requireSigned()).isTrue();
        assertThat(p.get(Settings.REQUIRE_SIGNED).origin().side()).isEqualTo(Side.SENDER);
        assertThat(p.requireEncrypted()).isTrue();
        // both sides require encryption (eu.example.com directly, partner.example when receiving): both named
        assertThat(p.get(Settings.REQUIRE_ENCRYPTED).origins()).extracting(SettingOrigin::side)
                .containsExactly(Side.SENDER, Side.RECIPIENT);
        // sender SHA256 (user) vs recipient SHA384 (global): the stronger wins
        assertThat(p.signingDigest()).isEqualTo(DigestAlgorithm.SHA384);
        assertThat(p.get(Settings.REQUIRE_SIGNED_ALGORITHM).origin().side()).isEqualTo(Side.RECIPIENT);
        // sender AES256 (default) vs recipient AES128 (domain): the stronger wins
        assertThat(p.requiredEncryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.AES256);
        assertThat(p.get(Settings.REQUIRE_ENCRYPTION_ALGORITHM).origin().level()).isEqualTo(PolicyLevel.DEFAULT);
        assertThat(p.conflicts()).isEmpty();
    }

    @Test
    void directionMattersARecipientsReceivingRuleDoesNotApplyToItsOwnMail() {
        // partner.example requires encryption for mail it receives, not for mail it sends us
        EffectivePolicy inbound = policy.resolveInbound("bob@partner.example", "x@other.org");
        assertThat(inbound.requireEncrypted()).isFalse();
        // but mail from partner.example must be signed (its Sending block)
        assertThat(inbound.requireSigned()).isTrue();
        assertThat(inbound.get(Settings.REQUIRE_SIGNED).origin().describe())
                .isEqualTo("sender: domain partner.example (Sending) (policy.yaml:18)");
    }

    @Test
    void stricterNegotiationAndIntersectedListsWin() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                global:
                  OWAEncryptionAlgorithms: [AES128, AES256, AES192]
                domains:
                  strict.example:
                    Receiving:
                      AllowSMIMEEncryptionAlgorithmNegotiation: BlockNegotiation
                      OWAEncryptionAlgorithms: [AES256, AES192]
                      RequireEncryptionSMIMEAlgorithm: AES192
                      OWAClearSign: false
                """);
        EffectivePolicy p = set.resolveOutbound("a@example.com", "b@strict.example");

        assertThat(p.negotiation()).isEqualTo(NegotiationMode.BlockNegotiation);
        // sender's order, recipient's restriction
        assertThat(p.encryptionAlgorithms()).containsExactly(EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES192);
        // global default AES256 is in global's list? no: global list has AES256 -> fine; stronger of AES256/AES192
        assertThat(p.requiredEncryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.AES256);
        // format settings: the more specific side wins (recipient's domain over sender's default)
        assertThat(p.value(Settings.CLEAR_SIGN)).isFalse();
        assertThat(p.get(Settings.CLEAR_SIGN).origin().side()).isEqualTo(Side.RECIPIENT);
    }

    @Test
    void pairConflictIsReportedNotThrown() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                domains:
                  example.com:
                    Sending:
                      OWAEncryptionAlgorithms: [AES256]
                  old.example:
                    Receiving:
                      OWAEncryptionAlgorithms: [AES128]
                      RequireEncryptionSMIMEAlgorithm: AES128
                """);
        EffectivePolicy p = set.resolveOutbound("a@example.com", "b@old.example");

        assertThat(p.encryptionAlgorithms()).isEmpty();
        assertThat(p.encryptionConflict()).get().extracting(PolicyConflict::reason).asString()
                .contains("[AES256]").contains("[AES128]").contains("nothing in common");
        assertThat(p.signingConflict()).isEmpty();
    }

    @Test
    void defaultsWithoutFile() {
        EffectivePolicy p = PolicySet.defaults().resolveOutbound("a@example.com", "b@example.org");
        assertThat(p.all()).allSatisfy(s -> assertThat(s.origin().isDefault()).isTrue());
        assertThat(p.requireSigned()).isFalse();
        assertThat(p.requireEncrypted()).isFalse();
        assertThat(p.signingDigest()).isEqualTo(DigestAlgorithm.SHA256);
        assertThat(p.requiredEncryptionAlgorithm()).isEqualTo(EncryptionAlgorithm.AES256);
        assertThat(p.negotiation()).isEqualTo(NegotiationMode.AllowAnyAlgorithmNegotiation);
        assertThat(p.allowSoftCerts()).isTrue();
        assertThat(p.chainInclusion()).isEqualTo(CertificateInclusion.CHAIN_WITHOUT_ROOT);
        assertThat(p.inboundViolationAction()).isEqualTo(InboundViolationAction.Quarantine);
        assertThat(p.encryptionAlgorithms()).allMatch(EncryptionAlgorithm::isStrong);
        assertThat(p.signingAlgorithms()).allMatch(DigestAlgorithm::isStrong);
        assertThat(p.conflicts()).isEmpty();
    }

    @Test
    void exchangeAlgIdStringsAreUnderstood() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                global:
                  OWAEncryptionAlgorithms: "6610;660E"
                  OWASigningAlgorithms: 800E;800C
                  RequireSignedSMIMEAlgorithm: SHA512
                """);
        PartyPolicy p = set.partyPolicy("a@b.example", Role.SENDING);
        assertThat(p.value(Settings.ENCRYPTION_ALGORITHMS))
                .isEqualTo(List.of(EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128));
        assertThat(p.value(Settings.SIGNING_ALGORITHMS)).isEqualTo(List.of(DigestAlgorithm.SHA512, DigestAlgorithm.SHA256));
    }
}
