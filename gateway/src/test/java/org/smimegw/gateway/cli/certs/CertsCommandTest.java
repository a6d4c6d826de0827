package org.smimegw.gateway.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.Certificates;
import org.smimegw.gateway.cli.certs.CertsCli.Run;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.gateway.cli.ExitCodes;


class CertsCommandTest {

    private static final TestPki PKI = TestPki.create("Cli");
    private static final String P12_PASS = "p12-secret";

    @TempDir
    Path dir;
    private Path config;

    private final CertsCli cli = new CertsCli(Map.of("P12_PASS", P12_PASS));

    @BeforeEach
    void config() throws Exception {
        Files.writeString(dir.resolve("store.pass"), "store-secret\n");
        config = Files.writeString(dir.resolve("gateway.yaml"), """
                smtp:
                  port: 2525          # other sections are ignored by the certs commands
                certstore:
                  directory: %s
                  keyPassword: file:%s
                  revocation:
                    mode: soft_fail
                    fetchCrlDistributionPoints: false
                    ocsp: false
                """.formatted(dir.resolve("store"), dir.resolve("store.pass")));
    }

    private Run run(String... args) {
        return cli.run(args);
    }

    private Run certs(String command, String... rest) {
        return cli.certs(config, command, rest);
    }

    @Test
    void readingCommandsRefuseAStoreThatDoesNotExistAndImportsCreateIt() throws Exception {
        // relative to the configuration file, whatever the working directory
        Path none = Files.writeString(dir.resolve("none.yaml"), "certstore:\n  directory: no-store\n");
        Path pem = TestPki.writePem(dir.resolve("root.pem"), PKI.rootCertificate());
        String expected = "no certificate store at " + dir.resolve("no-store") + " (certstore.directory of " + none
                + "); import into it with certs import-trust, import-user or demo-setup, or start the gateway";
        for (List<String> args : List.of(List.of("list"), List.of("show", "a@example.com"),
                List.of("verify", pem.toString()), List.of("remove", "0123abcd"))) {
            List<String> withConfig = new java.util.ArrayList<>(args);
            withConfig.addAll(List.of("--config", none.toString()));
            Run r = run(withConfig.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isEqualTo(org.smimegw.gateway.cli.ExitCodes.NO_STATE);
            assertThat(r.err().strip()).isEqualTo("certs " + args.get(0) + ": error: " + expected);
            assertThat(r.out()).isEmpty();
        }
        assertThat(dir.resolve("no-store")).doesNotExist();

        Run imported = run("import-trust", pem.toString(), "--config", none.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(dir.resolve("no-store/trust/roots")).isDirectory();
        assertThat(run("list", "--trust", "--config", none.toString()).out()).contains("1 certificate(s)");
    }

    @Test
    void importTrustFromSstPrintsEveryCertificateAndRefusals() throws Exception {
        TestPki.Issued ee = PKI.issue("ee@example.com");
        Path sst = Files.write(dir.resolve("roots.sst"), TestPki.sst(List.of(PKI.rootCertificate(),
                PKI.intermediate().certificate(), ee.certificate()), List.of(), true));
        Run r = certs("import-trust", sst.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Windows serialized certificate store (SST), 3 certificate(s)")
                .contains("RESULT").contains("SHA-256")
                .contains(Certificates.sha256(PKI.rootCertificate()))
                .contains("REFUSED").contains("not a CA certificate")
                .contains("imported 2 certificate(s) and 0 CRL(s); refused 1");
        Run list = certs("list", "--trust");
        assertThat(list.out()).contains("root").contains("intermediate").contains("2 certificate(s)")
                .doesNotContain("ee@example.com");
    }

    @Test
    void importUserPkcs12WithPasswordFromEnvironmentOrFile() throws Exception {
        TestPki.Issued alice = PKI.issue("alice@example.com");
        Path p12 = TestPki.writePkcs12(alice, dir.resolve("alice.p12"), P12_PASS.toCharArray());
        certs("import-trust", TestPki.writePem(dir.resolve("ca.pem"), PKI.rootCertificate(),
                PKI.intermediate().certificate()).toString());

        Run r = certs("import-user", p12.toString(), "--password-env", "P12_PASS");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("PKCS#12").contains("imported 1 certificate(s) (1 with private key)")
                .contains("kept");

        Path pwFile = Files.writeString(dir.resolve("p12.pass"), P12_PASS + "\n");
        TestPki.Issued bob = PKI.issue("bob@example.com");
        Run r2 = certs("import-user", TestPki.writePkcs12(bob, dir.resolve("bob.pfx"), P12_PASS.toCharArray()).toString(),
                "--password-file", pwFile.toString());
        assertThat(r2.exit()).isZero();

        Run show = certs("show", "alice@example.com");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("encrypt-to").contains("sign").contains("decrypt").contains("key software")
                .contains("valid");
        Run users = certs("list", "--users");
        assertThat(users.out()).contains("user+key").contains("alice@example.com").contains("bob@example.com")
                .doesNotContain("intermediate");
    }

    @Test
    void anImportThatRefusedEveryCertificateFails() throws Exception {
        // a user certificate (with its CA chain) but no Subject Key Identifier: refused, its chain not kept
        TestPki.Issued nokid = PKI.user("nokid@example.com").withoutSubjectKeyIdentifier().issue();
        Path p12 = TestPki.writePkcs12(nokid, dir.resolve("nokid.p12"), P12_PASS.toCharArray());
        Run user = certs("import-user", p12.toString(), "--password-env", "P12_PASS");
        assertThat(user.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(user.out()).contains("REFUSED").contains("imported 0 certificate(s)")
                .doesNotContain("chain of an imported certificate");
        assertThat(user.err().strip()).isEqualTo("certs import-user: error: nothing imported from " + p12);

        Path ee = TestPki.writePem(dir.resolve("ee.pem"), PKI.issue("ee@example.com").certificate());
        Run trust = certs("import-trust", ee.toString());
        assertThat(trust.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(trust.err()).contains("nothing imported from " + ee);

        // importing the same file again has nothing left to do: not a failure
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), PKI.rootCertificate());
        assertThat(certs("import-trust", ca.toString()).exit()).isZero();
        Run again = certs("import-trust", ca.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("already in the store");
    }

    @Test
    void wrongPkcs12PasswordIsOneLineSayingSo() throws Exception {
        Path p12 = TestPki.writePkcs12(PKI.issue("w@example.com"), dir.resolve("w.p12"), "other".toCharArray());
        Run r = certs("import-user", p12.toString(), "--password-env", "P12_PASS");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("wrong password").contains("w.p12");
        assertThat(r.err().strip().lines()).hasSize(1);
        Run noPassword = certs("import-user", p12.toString());
        assertThat(noPassword.exit()).isEqualTo(1);
        assertThat(noPassword.err()).contains("needs a password");
        Run unsetVariable = certs("import-user", p12.toString(), "--password-env", "UNSET_VAR");
        assertThat(unsetVariable.err()).contains("UNSET_VAR is not set");
    }

    @Test
    void verifyAddressAndFileWithEveryReason() throws Exception {
        certs("import-trust", Files.write(dir.resolve("ca.p7b"), TestPki.p7b(List.of(PKI.rootCertificate(),
                PKI.intermediate().certificate()), List.of())).toString());
        TestPki.Issued carol = PKI.issue("carol@example.com");
        certs("import-user", TestPki.writeDer(dir.resolve("carol.cer"), carol.certificate()).toString());

        Run ok = certs("verify", "carol@example.com", "--purpose", "encrypt");
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("result:    VALID").contains("(trust anchor)")
                .contains("warning REVOCATION_UNKNOWN");

        TestPki.Issued expired = PKI.user("old@example.com").validity(Instant.now().minus(Duration.ofHours(20)),
                Instant.now().minus(Duration.ofHours(1))).extendedKeyUsage(
                org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth).issue();
        Path file = TestPki.writePem(dir.resolve("old.pem"), expired.certificate());
        Run bad = certs("verify", file.toString(), "--purpose", "sign", "--address", "x@example.com");
        assertThat(bad.exit()).isEqualTo(ExitCodes.FAILURE); // "not valid": 3 is for configuration errors
        assertThat(bad.out()).contains("NOT VALID").contains("EXPIRED").contains("EXTENDED_KEY_USAGE")
                .contains("ADDRESS_MISMATCH");

        Run none = certs("verify", "nobody@example.com");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no certificate for nobody@example.com");
    }

    @Test
    void importCrlThenTheCertificateIsRevoked() throws Exception {
        certs("import-trust", TestPki.writePem(dir.resolve("ca.pem"), PKI.rootCertificate(),
                PKI.intermediate().certificate()).toString());
        TestPki.Issued dave = PKI.issue("dave@example.com");
        X509CRL crl = PKI.crl(Instant.now().plus(Duration.ofDays(7)), dave.certificate());
        Run imp = certs("import-crl", Files.write(dir.resolve("ca.crl"), crl.getEncoded()).toString());
        assertThat(imp.exit()).isZero();
        assertThat(imp.out()).contains("DER CRL").contains("1 CRL(s)");
        assertThat(certs("list", "--trust").out()).contains("CRL ISSUER").contains("1 CRL(s)");
        Run v = certs("verify", TestPki.writeDer(dir.resolve("dave.cer"), dave.certificate()).toString());
        assertThat(v.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(v.out()).contains("REVOKED");
        Run notACrl = certs("import-crl", TestPki.writeDer(dir.resolve("x.cer"), dave.certificate()).toString());
        assertThat(notACrl.exit()).isEqualTo(1);
        assertThat(notACrl.err()).contains("no CRL in the file");
    }

    @Test
    void removeByFingerprint() throws Exception {
        certs("import-trust", TestPki.writeDer(dir.resolve("root.der"), PKI.rootCertificate()).toString());
        String fp = Certificates.sha256(PKI.rootCertificate());
        Run r = certs("remove", fp.substring(0, 16));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("removed root").contains(fp);
        Run again = certs("remove", fp);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no certificate or CRL with fingerprint");
        assertThat(certs("remove", "xyz").err()).contains("is not a SHA-256 fingerprint");
    }

    @Test
    void errorsAreOneLineWithTheReason() throws Exception {
        Run garbage = certs("import-trust", Files.writeString(dir.resolve("junk.sst"), "not a certificate").toString());
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.err()).startsWith("certs import-trust: error: unrecognised format");
        assertThat(garbage.err().strip().lines()).hasSize(1);

        Run missing = certs("import-trust", dir.resolve("nope.pem").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read").contains("nope.pem");

        Path badConfig = Files.writeString(dir.resolve("bad.yaml"), "certstore:\n  revocation:\n    mode: SOMETIMES\n");
        Run bad = run("list", "--config", badConfig.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(bad.err().strip()).isEqualTo("certs list: error: " + badConfig
                + ":3: certstore.revocation.mode: 'SOMETIMES' is not one of SOFT_FAIL, HARD_FAIL, OFF");

        // the gateway's ConfigLoader reads the file: unknown keys and bad certstore.ldap values are refused too
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "certstore:\n  directroy: x\n");
        assertThat(run("list", "--config", typo.toString()).err()).startsWith("certs list: error: " + typo
                + ":2: unknown key 'directroy' in certstore");
        Path ldap = Files.writeString(dir.resolve("ldap.yaml"),
                "certstore:\n  ldap:\n    urls: [ldap://127.0.0.1:1]\n    baseDn: dc=x\n    poolSize: 0\n");
        assertThat(run("show", "a@example.com", "--config", ldap.toString()).err().strip())
                .isEqualTo("certs show: error: " + ldap + ":5: certstore.ldap.poolSize must be positive, was 0");
        // other sections do not concern the certs commands
        Path otherSection = Files.writeString(dir.resolve("other.yaml"), "pipeline:\n  config: /no/such/file.xml\n"
                + "certstore:\n  directory: " + dir.resolve("store") + "\n  keyPassword: file:"
                + dir.resolve("store.pass") + "\n");
        assertThat(run("list", "--config", otherSection.toString()).exit()).isZero();

        Run noConfig = run("list", "--config", dir.resolve("absent.yaml").toString());
        assertThat(noConfig.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(noConfig.err().strip()).isEqualTo("certs list: error: " + dir.resolve("absent.yaml")
                + ": file not found"); // the loader's own words, as for run
    }
}
