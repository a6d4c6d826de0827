package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.cli.Main;

import picocli.CommandLine;

/**
 * The README quick start as a test: {@code certs demo-setup} with the gateway's configuration, then a mail from
 * the internal demo user to the external one through the running gateway arrives in GreenMail signed and
 * encrypted, and openssl decrypts and verifies it with the PEM files demo-setup wrote.
 */
class DemoSetupEndToEndTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println("$ smime-gateway " + String.join(" ", args) + "   # exit " + exit + "\n" + out + err);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void demoSetupThenASignedAndEncryptedMailThatOpensslReads() throws Exception {
        // conf/gateway.yaml names the store relative to itself (../var/certstore): the certs command, started in
        // another working directory, finds the store the gateway then opens
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "");
        Path out = dir.resolve("demo");

        Run setup = run("certs", "demo-setup", "--config", yaml.toString(), "--internal", "alice@example.com",
                "--external", "bob@partner.example", "--out", out.toString());
        assertThat(setup.exit()).as(setup.err()).isZero();
        assertThat(setup.err()).isEmpty();
        assertThat(setup.out()).contains("imported  CA", "smime-gateway demo root CA")
                .contains("imported 1 certificate(s) (1 with private key)")
                .contains("openssl cms -decrypt -in arrived.eml -recip " + out.resolve("bob@partner.example.cert.pem")
                        + " -inkey " + out.resolve("bob@partner.example.key.pem"))
                .contains("openssl cms -verify -CAfile " + out.resolve("demo-root-ca.pem"));
        assertThat(Files.getPosixFilePermissions(out.resolve("bob@partner.example.key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        Run show = run("certs", "show", "bob@partner.example", "--config", yaml.toString());
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("encrypt-to").contains("valid");
        Run showAlice = run("certs", "show", "alice@example.com", "--config", yaml.toString());
        assertThat(showAlice.out()).contains("sign ").contains("key software");

        try (SmimeGatewayFixture gateway = SmimeGatewayFixture.start(dir)) {
            gateway.send("From: alice@example.com\r\nTo: bob@partner.example\r\nSubject: demo\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello from the gateway\r\n",
                    "alice@example.com", "bob@partner.example");
            MimeMessage arrived = gateway.awaitMail("bob@partner.example", 1).get(0);
            assertThat(arrived.getContentType()).startsWith("application/pkcs7-mime");
            String content = SmimeGatewayFixture.decryptAndVerify(dir, gateway.save(arrived, "arrived.eml"),
                    out.resolve("bob@partner.example.cert.pem"), out.resolve("bob@partner.example.key.pem"),
                    out.resolve("demo-root-ca.pem"));
            assertThat(content).contains("hello from the gateway");
        }
    }

    @Test
    void demoSetupRefusesABadAddressWithOneLine() {
        Path yaml = dir.resolve("none.yaml");
        Run r = run("certs", "demo-setup", "--config", yaml.toString(), "--out", dir.resolve("d").toString());
        assertThat(r.exit()).isEqualTo(3); // a configuration error, as for every command
        assertThat(r.err().strip()).isEqualTo("certs demo-setup: error: " + yaml + ": file not found");
        Run bad = run("certs", "demo-setup", "--external", "not-an-address", "--out", dir.resolve("d").toString(),
                "--config", writeEmptyConfig().toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("certs demo-setup: error: 'not-an-address' is not an e-mail address");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    private Path writeEmptyConfig() {
        try {
            return Files.writeString(dir.resolve("empty.yaml"), "certstore:\n  directory: " + dir.resolve("store")
                    + "\n  keyPassword: file:" + dir.resolve("store.pass") + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
