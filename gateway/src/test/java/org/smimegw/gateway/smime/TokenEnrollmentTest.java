package org.smimegw.gateway.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.pkcs11.SoftHsm2Extension;
import org.smimegw.certstore.pkcs11.SoftHsmToken;
import org.smimegw.gateway.cli.Main;

import picocli.CommandLine;

/**
 * {@code certstore.pkcs11} with a real SoftHSM2 token: {@code certs enroll-token} generates a key in the token and
 * certifies it with the demo CA of {@code certs demo-setup}; {@code certs show} and the running gateway's store then
 * offer it as a {@code HARDWARE} key. (Skipped, and saying so, without SoftHSM2.)
 */
@ExtendWith(SoftHsm2Extension.class)
class TokenEnrollmentTest {

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
    void enrollTokenGivesTheGatewayAHardwareKey(SoftHsmToken token) throws Exception {
        String address = "carol" + System.nanoTime() + "@example.com"; // the token is shared by the JVM's tests
        Path yaml = SmimeGatewayFixture.writeConfig(dir, """
                  pkcs11:
                    name: softhsm
                    library: %s
                    slot: %d
                    pin: file:%s
                    reloadIntervalSeconds: 0
                """.formatted(token.library(), token.slot(), token.pinFile()));
        Path demo = dir.resolve("demo");
        assertThat(run("certs", "demo-setup", "--config", yaml.toString(), "--out", demo.toString()).exit()).isZero();

        Run enroll = run("certs", "enroll-token", address, "--config", yaml.toString(),
                "--issuer-cert", demo.resolve("demo-root-ca.pem").toString(),
                "--issuer-key", demo.resolve("demo-root-ca.key.pem").toString(), "--key-type", "ec-p256");
        assertThat(enroll.exit()).as(enroll.err()).isZero();
        assertThat(enroll.out()).contains("enrolled " + address + " in pkcs11:softhsm: EC_P256 key generated")
                .contains("issuer:      CN=smime-gateway demo root CA");

        Run show = run("certs", "show", address, "--config", yaml.toString());
        assertThat(show.out()).contains("key hardware").contains("sign ").contains("decrypt ");
        assertThat(show.out().lines().filter(l -> l.startsWith("sign")).findFirst().orElseThrow()).contains("valid");

        Run missingCa = run("certs", "enroll-token", address, "--config", yaml.toString(),
                "--issuer-cert", demo.resolve("bob@partner.example.cert.pem").toString(),
                "--issuer-key", demo.resolve("demo-root-ca.key.pem").toString());
        assertThat(missingCa.exit()).isEqualTo(1);
        assertThat(missingCa.err().strip()).isEqualTo("certs enroll-token: error: "
                + demo.resolve("bob@partner.example.cert.pem") + " holds no CA certificate");

        try (SmimeGatewayFixture gateway = SmimeGatewayFixture.start(dir)) {
            var store = gateway.app().certificates().orElseThrow();
            assertThat(store.token()).isPresent();
            assertThat(store.store().signingKey(address)).hasValueSatisfying(
                    k -> assertThat(k.storage()).isEqualTo(KeyStorage.HARDWARE));
            assertThat(store.store().signingKey("alice@example.com")).hasValueSatisfying(
                    k -> assertThat(k.storage()).isEqualTo(KeyStorage.SOFTWARE));
        }
    }

    @Test
    void enrollTokenWithoutATokenConfiguredSaysSo() throws Exception {
        Path yaml = SmimeGatewayFixture.writeConfig(dir, "");
        Run r = run("certs", "enroll-token", "carol@example.com", "--config", yaml.toString(),
                "--issuer-cert", yaml.toString(), "--issuer-key", yaml.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("certs enroll-token: error: no token configured: set certstore.pkcs11 in "
                + yaml);
    }
}
