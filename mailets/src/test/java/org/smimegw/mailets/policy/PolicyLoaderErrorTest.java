package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

import org.smimegw.mailets.config.ConfigFileException;

/** Every way a policy file is refused, each with the file, the line and the reason. */
class PolicyLoaderErrorTest {

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("not YAML", """
                        global:
                          RequireSignedSMIMEMessages: [true
                        """, 3, "not valid YAML"),
                Arguments.of("unknown section", """
                        global:
                          OWAClearSign: true
                        globals:
                          OWAClearSign: true
                        """, 3, "unknown section 'globals': expected global, domains or users"),
                Arguments.of("setting at top level", """
                        RequireSignedSMIMEMessages: true
                        """, 1, "settings go under global:"),
                Arguments.of("unknown setting, wrong case", """
                        global:
                          RequireSignedSmimeMessages: true
                        """, 2, "unknown setting 'RequireSignedSmimeMessages'; did you mean RequireSignedSMIMEMessages?"),
                Arguments.of("unknown setting", """
                        domains:
                          example.com:
                            RequireSMIME: true
                        """, 3, "unknown setting 'RequireSMIME'"),
                Arguments.of("unknown value", """
                        global:
                          RequireSignedSMIMEAlgorithm: SHA3
                        """, 2, "unknown value 'SHA3' for RequireSignedSMIMEAlgorithm: expected one of MD5, SHA1, SHA256, SHA384, SHA512"),
                Arguments.of("value in wrong case", """
                        global:
                          RequireEncryptionSMIMEAlgorithm: aes-256
                        """, 2, "did you mean AES256?"),
                Arguments.of("unknown negotiation mode", """
                        users:
                          a@example.com:
                            AllowSMIMEEncryptionAlgorithmNegotiation: Never
                        """, 3, "unknown value 'Never' for AllowSMIMEEncryptionAlgorithmNegotiation"),
                Arguments.of("not a boolean", """
                        global:
                          RequireSignedSMIMEMessages: maybe
                        """, 2, "unknown value 'maybe' for RequireSignedSMIMEMessages: expected true or false"),
                Arguments.of("list where a value goes", """
                        global:
                          OWAClearSign: [true]
                        """, 2, "OWAClearSign takes a single value, not a list"),
                Arguments.of("unknown list item, at its own line", """
                        global:
                          OWAEncryptionAlgorithms:
                            - AES256
                            - Blowfish
                        """, 4, "unknown value 'Blowfish' for OWAEncryptionAlgorithms"),
                Arguments.of("empty list", """
                        global:
                          OWASigningAlgorithms: []
                        """, 2, "OWASigningAlgorithms must name at least one algorithm"),
                Arguments.of("list names an algorithm twice", """
                        global:
                          OWAEncryptionAlgorithms: [AES256, AES128, AES256]
                        """, 2, "OWAEncryptionAlgorithms names AES256 twice"),
                Arguments.of("RC2 key length Exchange has but we do not", """
                        global:
                          AllowWeakAlgorithms: true
                          OWAEncryptionAlgorithms: "6610;6602:56"
                        """, 3, "unsupported RC2 key length '6602:56'"),
                Arguments.of("Bcc forking out of range", """
                        global:
                          OWABCCEncryptedEmailForking: 3
                        """, 2, "expected 0, 1 or 2"),
                Arguments.of("weak digest without AllowWeakAlgorithms", """
                        global:
                          OWAClearSign: true
                          RequireSignedSMIMEAlgorithm: SHA1
                          OWASigningAlgorithms: [SHA256, SHA1]
                        """, 3, "global: RequireSignedSMIMEAlgorithm names SHA1, legacy algorithm refused unless AllowWeakAlgorithms: true is set under global:"),
                Arguments.of("weak cipher in a user's list", """
                        users:
                          old@example.com:
                            Receiving:
                              OWAEncryptionAlgorithms: [AES256, TripleDES, RC240bit]
                        """, 4, "user old@example.com (Receiving): OWAEncryptionAlgorithms names TripleDES, RC240bit, legacy algorithms refused unless AllowWeakAlgorithms: true"),
                Arguments.of("AllowWeakAlgorithms below global", """
                        domains:
                          example.com:
                            AllowWeakAlgorithms: true
                        """, 3, "AllowWeakAlgorithms can only be set directly under global:"),
                Arguments.of("AllowWeakAlgorithms in a global role block", """
                        global:
                          Sending:
                            AllowWeakAlgorithms: true
                        """, 3, "AllowWeakAlgorithms can only be set directly under global:"),
                Arguments.of("BlockNegotiation with a required algorithm outside the list", """
                        global:
                          OWAEncryptionAlgorithms: [AES256]
                        domains:
                          example.com:
                            AllowSMIMEEncryptionAlgorithmNegotiation: BlockNegotiation
                            RequireEncryptionSMIMEAlgorithm: AES128
                        """, 6, "domain example.com: RequireEncryptionSMIMEAlgorithm AES128 (domain example.com) is not one of OWAEncryptionAlgorithms [AES256] (global) while AllowSMIMEEncryptionAlgorithmNegotiation is BlockNegotiation (domain example.com): no algorithm could ever be used"),
                Arguments.of("required digest outside the signing list", """
                        global:
                          RequireSignedSMIMEAlgorithm: SHA512
                          OWASigningAlgorithms: [SHA384, SHA256]
                        """, 3, "global: RequireSignedSMIMEAlgorithm SHA512 (global) is not one of OWASigningAlgorithms [SHA384, SHA256] (global)"),
                Arguments.of("weak required cipher under OnlyStrong", """
                        global:
                          AllowWeakAlgorithms: true
                          OWAEncryptionAlgorithms: [AES256, TripleDES]
                        users:
                          old@example.com:
                            RequireEncryptionSMIMEAlgorithm: TripleDES
                            AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
                        """, 7, "user old@example.com: RequireEncryptionSMIMEAlgorithm TripleDES (user old@example.com) is weaker than OnlyStrongAlgorithmNegotiation (user old@example.com) allows (AES128 and up)"),
                Arguments.of("weak required digest under inherited OnlyStrong", """
                        global:
                          AllowWeakAlgorithms: true
                          AllowSMIMEEncryptionAlgorithmNegotiation: OnlyStrongAlgorithmNegotiation
                          OWASigningAlgorithms: [SHA256, SHA1]
                        domains:
                          "*.legacy.example":
                            Sending:
                              RequireSignedSMIMEAlgorithm: SHA1
                        """, 8, "domain *.legacy.example: RequireSignedSMIMEAlgorithm SHA1 (domain *.legacy.example (Sending)) is weaker than OnlyStrongAlgorithmNegotiation (global) allows (SHA256 and up) (for mail it sends)"),
                Arguments.of("contradiction that appears only at a user, through inheritance", """
                        global:
                          OWAEncryptionAlgorithms: [AES256, AES128]
                        domains:
                          example.com:
                            RequireEncryptionSMIMEAlgorithm: AES128
                        users:
                          x@example.com:
                            Receiving:
                              OWAEncryptionAlgorithms: [AES256]
                        """, 9, "user x@example.com: RequireEncryptionSMIMEAlgorithm AES128 (domain example.com) is not one of OWAEncryptionAlgorithms [AES256] (user x@example.com (Receiving)) (for mail it receives)"),
                Arguments.of("CRL check on send with CRL checks disabled", """
                        global:
                          OWACheckCRLOnSend: true
                        domains:
                          example.com:
                            OWADisableCRLCheck: true
                        """, 5, "domain example.com: OWACheckCRLOnSend: true (global) contradicts OWADisableCRLCheck: true (domain example.com)"),
                Arguments.of("setting twice", """
                        global:
                          OWAClearSign: true
                          OWAClearSign: false
                        """, 3, "setting 'OWAClearSign' appears twice (first at line 2)"),
                Arguments.of("domain twice, different case", """
                        domains:
                          example.com:
                            OWAClearSign: true
                          Example.COM:
                            OWAClearSign: false
                        """, 4, "domain 'Example.COM' appears twice (first at line 2)"),
                Arguments.of("address under domains", """
                        domains:
                          a@example.com:
                            OWAClearSign: true
                        """, 2, "'a@example.com' is an address: put it under users:"),
                Arguments.of("not a domain name", """
                        domains:
                          "*":
                            OWAClearSign: true
                        """, 2, "'*' is not a domain name"),
                Arguments.of("not an address", """
                        users:
                          finance:
                            OWAClearSign: true
                        """, 2, "'finance' is not an email address"),
                Arguments.of("nested role blocks", """
                        users:
                          a@example.com:
                            Sending:
                              Receiving:
                                OWAClearSign: true
                        """, 4, "Receiving: cannot be nested inside Sending:"),
                Arguments.of("role block in wrong case", """
                        users:
                          a@example.com:
                            sending:
                              OWAClearSign: true
                        """, 3, "unknown setting 'sending'; did you mean Sending?"),
                Arguments.of("section of the wrong shape", """
                        domains: [example.com]
                        """, 1, "domains: must be a mapping of names to values, not a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void refusedWithFileLineAndReason(String name, String yaml, int line, String reason) {
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> PolicyFixtures.parse(yaml));

        assertThat(e).as("policy accepted although: " + name).isNotNull();
        System.out.println(name + " -> " + e.getMessage());
        assertThat(e.file()).isEqualTo("policy.yaml");
        assertThat(e.reason()).contains(reason);
        assertThat(e.line()).as(e.getMessage()).hasValue(line);
        assertThat(e.getMessage()).startsWith("policy.yaml:" + line + ": ");
    }

    @Test
    void sameSettingsWithWeakAlgorithmsAllowedAreAccepted() throws ConfigFileException {
        PolicySet set = PolicyFixtures.parse("""
                global:
                  AllowWeakAlgorithms: true
                  OWASigningAlgorithms: [SHA256, SHA1]
                  OWAEncryptionAlgorithms: "6610;6603;6602:128;6602:40;6601"
                users:
                  old@example.com:
                    RequireSignedSMIMEAlgorithm: SHA1
                    RequireEncryptionSMIMEAlgorithm: TripleDES
                """);
        PartyPolicy p = set.partyPolicy("old@example.com", Role.SENDING);
        assertThat(p.value(Settings.REQUIRE_SIGNED_ALGORITHM)).isEqualTo(DigestAlgorithm.SHA1);
        assertThat(p.value(Settings.ENCRYPTION_ALGORITHMS)).containsExactly(EncryptionAlgorithm.AES256,
                EncryptionAlgorithm.TripleDES, EncryptionAlgorithm.RC2128bit, EncryptionAlgorithm.RC240bit,
                EncryptionAlgorithm.DES);
    }

    @Test
    void emptyFileAndEmptySectionsMeanDefaults() throws ConfigFileException {
        assertThat(PolicyFixtures.parse("").resolveOutbound("a@b.example", "c@d.example").requireEncrypted()).isFalse();
        assertThat(PolicyFixtures.parse("global:\ndomains:\nusers:\n").userEntries()).isZero();
    }

    @Test
    void missingFileIsRefusedWithItsNameAndNoLine(@TempDir Path dir) {
        Path missing = dir.resolve("policy.yaml");
        assertThatThrownBy(() -> new PolicyLoader().load(missing))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(missing + ": cannot read policy file");
    }

    @Test
    void yamlErrorWithoutAPositionNamesTheFileAndNoLine() {
        StringBuilder yaml = new StringBuilder("global: &g {OWAClearSign: true}\nusers:\n");
        for (int i = 0; i < 21; i++) { // one alias more than the loader allows
            yaml.append("  u").append(i).append("@example.com: *g\n");
        }
        ConfigFileException e =
                catchThrowableOfType(ConfigFileException.class, () -> PolicyFixtures.parse(yaml.toString()));

        assertThat(e.line()).isEmpty();
        assertThat(e.getMessage()).startsWith("policy.yaml: not valid YAML: ").contains("aliases");
    }

    @Test
    void errorsNameTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("custom-policy.yaml"), "global:\n  OWAClearSign: sometimes\n");
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class, () -> new PolicyLoader().load(file));
        assertThat(e.getMessage()).isEqualTo(file + ":2: unknown value 'sometimes' for OWAClearSign: expected true or false");
    }

    @Test
    void shippedPolicyLoads() throws ConfigFileException {
        PolicySet set = new PolicyLoader().load(PolicyFixtures.shippedPolicy());
        assertThat(set.domainEntries()).isEqualTo(1);
        assertThat(set.userEntries()).isEqualTo(2);
    }

    @Test
    void aYamlErrorQuotingALineBreakIsStillOneLine() {
        // SnakeYAML quotes the character it did not expect, here the line break after '%' (a directive)
        ConfigFileException e = catchThrowableOfType(ConfigFileException.class,
                () -> new PolicyLoader().parse("policy.yaml", new java.io.StringReader("%\nglobal: {}\n")));
        assertThat(e.getMessage()).startsWith("policy.yaml:1: not valid YAML").doesNotContain("\n", "\r");
    }
}
