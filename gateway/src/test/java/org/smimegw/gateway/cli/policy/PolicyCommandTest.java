package org.smimegw.gateway.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.Main;

/**
 * {@code policy explain} for the README example (the shipped conf/policy.yaml) against a real certificate store
 * opened from the configuration as the gateway opens it, and {@code policy check}.
 */
class PolicyCommandTest {
    @TempDir
    Path dir;
    private Path config;

    record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void storeAndShippedPolicy() throws Exception {
        TestPki pki = TestPki.create("Explain");
        var finance = pki.issue("finance@example.com");
        var bob = pki.issue("bob@partner.example");
        FileCertificateStore store = new FileCertificateStore(dir.resolve("certs"),
                new KeyPasswordSource("file:" + dir.resolve("key-password"), System::getenv, true, dir));
        store.addTrusted(pki.rootCertificate());
        store.addTrusted(pki.intermediate().certificate());
        store.addUserKey(finance.privateKey(), finance.certificate(), finance.chain());
        store.addUserCertificate(bob.certificate(), bob.chain());

        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("conf/policy.yaml"), dir.resolve("policy.yaml"));
        Files.writeString(dir.resolve("mailetcontainer.xml"), "<mailetcontainer/>");
        config = dir.resolve("gateway.yaml");
        Files.writeString(config, """
                internalDomains: [example.com]
                pipeline: {config: %s}
                certstore:
                  directory: %s
                  keyPassword: file:%s
                  revocation: {mode: OFF}
                policy: {file: %s}
                """.formatted(dir.resolve("mailetcontainer.xml"), dir.resolve("certs"), dir.resolve("key-password"),
                dir.resolve("policy.yaml")));
    }

    private static String line(String text, String start) {
        return text.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "' in:\n" + text));
    }

    @Test
    void financeToPartnerIsSignedWithSha384AndEncryptedWithAes256() {
        Result result = run("policy", "explain", "--from", "finance@example.com", "--to", "bob@partner.example",
                "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        String text = result.out();
        assertThat(text).startsWith("Policy for mail from finance@example.com to bob@partner.example")
                .contains("Direction: outbound").contains("Policy file: " + dir.resolve("policy.yaml"));
        assertThat(line(text, "RequireSignedSMIMEMessages")).contains("true")
                .contains("sender: user finance@example.com (Sending) (" + dir.resolve("policy.yaml") + ":");
        assertThat(line(text, "RequireSignedSMIMEAlgorithm")).contains("SHA384");
        assertThat(line(text, "RequireEncryptedSMIMEMessages")).contains("true")
                .contains("recipient: domain partner.example (Receiving)");
        assertThat(line(text, "AllowSMIMEEncryptionAlgorithmNegotiation")).contains("BlockNegotiation");
        assertThat(line(text, "signing key:")).contains("CN=finance@example.com").contains("SHA-256");
        assertThat(line(text, "recipient certificate:")).contains("CN=bob@partner.example");
        assertThat(line(text, "outcome:")).isEqualTo("outcome:                SEND, signed with SHA384 and "
                + "encrypted with AES256");
    }

    @Test
    void aPartnerWithoutCertificateIsRefusedNeverSentInClear() {
        Result result = run("policy", "explain", "--from", "ann@example.com", "--to", "nocert@partner.example",
                "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(line(result.out(), "outcome:")).contains("REFUSE 550 5.7.1 encryption required (recipient domain "
                + "partner.example (Receiving))").contains("nocert@partner.example has no usable certificate");
    }

    @Test
    void inboundToLegalMustBeSignedByATrustedCa() {
        Result result = run("policy", "explain", "--from", "bob@partner.example", "--to", "legal@example.com",
                "--config", config.toString());

        assertThat(result.code()).as(result.err()).isZero();
        String text = result.out();
        assertThat(text).contains("Direction: inbound");
        assertThat(line(text, "RequireSignedSMIMEMessages")).contains("true")
                .contains("recipient: user legal@example.com (Receiving)");
        assertThat(line(text, "InboundViolationAction")).contains("Reject");
        assertThat(line(text, "unsigned, in clear:")).contains("REJECT 550 5.7.1 signed mail required");
        assertThat(line(text, "signed by an untrusted signer:")).contains("REJECT 550 5.7.1").contains("not trusted");
        assertThat(text.lines().filter(l -> l.contains("by a trusted CA")).toList()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).endsWith("ACCEPT"));
    }

    @Test
    void explainRefusesAStoreThatDoesNotExistInsteadOfCreatingIt() throws Exception {
        Path none = Files.writeString(dir.resolve("none.yaml"), "certstore: {directory: no-store}\n"
                + "policy: {file: policy.yaml}\npipeline: {config: mailetcontainer.xml}\n");
        Result result = run("policy", "explain", "--from", "a@example.com", "--to", "b@partner.example",
                "--config", none.toString());

        assertThat(result.code()).isEqualTo(org.smimegw.gateway.cli.ExitCodes.NO_STATE);
        assertThat(result.err().strip()).startsWith("explain: no certificate store at " + dir.resolve("no-store"));
        assertThat(dir.resolve("no-store")).doesNotExist();
    }

    @Test
    void explainWithAnInvalidPolicyIsOneLineWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "global:\n  RequireEncryptionSMIMEAlgorithm: aes-256\n");
        Result result = run("policy", "explain", "--from", "a@example.com", "--to", "b@partner.example",
                "--config", config.toString());

        assertThat(result.code()).isEqualTo(3);
        assertThat(result.err().strip()).doesNotContain("\n")
                .startsWith("config error: " + dir.resolve("policy.yaml") + ":2: ").contains("aes-256");
    }

    @Test
    void checkAcceptsTheShippedPolicyAndRefusesABrokenOneAsAConfigurationError() throws Exception {
        Result ok = run("policy", "check", "--config", config.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out().strip()).isEqualTo(dir.resolve("policy.yaml") + ": ok, policy " + dir.resolve("policy.yaml")
                + " (1 domain(s), 2 user(s))");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "users:\n  legal@example.com:\n    Receiving:\n      InboundViolationAction: Bounce\n");
        Result refused = run("policy", "check", broken.toString());
        // exit 3 like run and explain for the same file (it was 1 here, 3 there)
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err().strip()).doesNotContain("\n").startsWith("config error: " + broken + ":4: ")
                .contains("Bounce");

        Result missing = run("policy", "check", dir.resolve("nope.yaml").toString());
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err().strip()).isEqualTo("config error: " + dir.resolve("nope.yaml")
                + ": cannot read policy file: java.nio.file.NoSuchFileException: " + dir.resolve("nope.yaml"));
    }
}
