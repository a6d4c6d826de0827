package org.smimegw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.crypto.CryptoProviders;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void defaultPipelineFile() throws Exception {
        Files.writeString(dir.resolve("mailetcontainer.xml"), "<mailetcontainer/>");
    }

    private ConfigFileException failure(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        try {
            new ConfigLoader().load(file);
        } catch (ConfigFileException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigFileException for:\n" + yaml);
    }

    @Test
    void emptyFileGivesDefaults() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "# nothing here\n");
        GatewayConfig config = new ConfigLoader().load(file);
        assertThat(config.admin()).isEqualTo(new AdminConfig(true, "127.0.0.1", 8025, true, "smime-gateway"));
        assertThat(config.embeddedMailbox()).isEqualTo(new EmbeddedMailboxConfig(false, "127.0.0.1", 3025, 3143));
        assertThat(config.stateDir()).isEqualTo(dir.resolve("var"));
        assertThat(config.internalDomains()).isEmpty();
        assertThat(config.hostname()).isNotBlank();
        assertThat(config.certstore().directory()).isEqualTo("var/certstore");
        assertThat(config.certstoreDirectory()).isEqualTo(dir.resolve("var/certstore"));
        assertThat(config.baseDirectory()).isEqualTo(dir);
        assertThat(config.smtp().port()).isEqualTo(2525);
        assertThat(config.pipeline().config()).isEqualTo(dir.resolve("mailetcontainer.xml"));
        assertThat(config.policy().file()).isEqualTo(dir.resolve("policy.yaml"));
        assertThat(config.postmaster()).isEqualTo("postmaster@" + config.hostname());
    }

    @Test
    void readsValuesAndResolvesRelativePaths() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(dir.resolve("pipeline.xml"), "<mailetcontainer/>");
        Files.writeString(file, """
                hostname: gw.example.com
                pipeline:
                  config: pipeline.xml
                internalDomains: [Example.COM, example.org]
                stateDir: state/here
                admin:
                  port: 0
                  jmx: false
                embeddedMailbox:
                  enabled: true
                  smtpPort: 0
                  imapPort: 0
                policy:
                  file: rules/policy.yaml
                """);
        GatewayConfig config = new ConfigLoader().load(file);
        assertThat(config.hostname()).isEqualTo("gw.example.com");
        assertThat(config.internalDomains()).containsExactly("example.com", "example.org");
        assertThat(config.isInternalDomain("EXAMPLE.org")).isTrue();
        assertThat(config.isInternalDomain("example.net")).isFalse();
        assertThat(config.stateDir()).isEqualTo(dir.resolve("state/here"));
        assertThat(config.admin().port()).isZero();
        assertThat(config.admin().jmx()).isFalse();
        assertThat(config.admin().bind()).isEqualTo("127.0.0.1");
        assertThat(config.embeddedMailbox().enabled()).isTrue();
        assertThat(config.policy().file()).isEqualTo(dir.resolve("rules/policy.yaml"));
        assertThat(config.policy().optional()).isFalse();
        assertThat(config.pipeline().config()).isEqualTo(dir.resolve("pipeline.xml"));
        assertThat(config.postmaster()).isEqualTo("postmaster@example.com");
    }

    @Test
    void relativePathsResolveAgainstTheFilesDirectoryNotTheWorkingDirectory() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc/gw"));
        Files.createDirectories(etc.resolve("pipes"));
        Files.writeString(etc.resolve("pipes/main.xml"), "<mailetcontainer/>");
        Files.writeString(etc.resolve("gw.crt"), "x");
        Files.writeString(etc.resolve("gw.key"), "x");
        Path file = Files.writeString(etc.resolve("gateway.yaml"), """
                stateDir: ../../state
                smtp:
                  tls: {certificate: gw.crt, privateKey: gw.key}
                pipeline: {config: pipes/main.xml}
                policy: {file: policy/rules.yaml}
                delivery:
                  smarthost: {host: mx.example.com, username: gw, passwordFile: secrets/smarthost.pw}
                  routes:
                    partner.example.org: {host: mx.partner.example.org, username: gw, passwordFile: route.pw}
                    other.example.org: {host: mx.other.example.org, username: gw, passwordEnv: ROUTE_PW}
                certstore:
                  directory: store
                  keyPassword: file:store/keystore.pass
                  ldap:
                    urls: [ldap://127.0.0.1:389]
                    baseDn: dc=example,dc=com
                    bindDn: cn=gw,dc=example,dc=com
                    bindPassword: file:ldap.pw
                    trustStore: ldap-trust.p12
                    trustStorePasswordRef: env:LDAP_TRUST_PW
                  pkcs11: {library: lib/pkcs11.so, tokenLabel: gw, pin: file:/run/secrets/pin}
                """);

        // loaded from another working directory than the file's: the working directory plays no part
        assertThat(Path.of("").toAbsolutePath()).isNotEqualTo(etc);
        GatewayConfig config = new ConfigLoader().load(file);

        assertThat(config.baseDirectory()).isEqualTo(etc);
        assertThat(config.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.smtp().tls().certificate()).isEqualTo(etc.resolve("gw.crt"));
        assertThat(config.smtp().tls().privateKey()).isEqualTo(etc.resolve("gw.key"));
        assertThat(config.pipeline().config()).isEqualTo(etc.resolve("pipes/main.xml"));
        assertThat(config.policy().file()).isEqualTo(etc.resolve("policy/rules.yaml"));
        assertThat(config.delivery().smarthost().passwordFile()).isEqualTo(etc.resolve("secrets/smarthost.pw").toString());
        assertThat(config.delivery().routes().get("partner.example.org").passwordFile())
                .isEqualTo(etc.resolve("route.pw").toString());
        assertThat(config.delivery().routes().get("other.example.org").passwordEnv()).isEqualTo("ROUTE_PW");
        assertThat(config.certstore().directory()).isEqualTo(etc.resolve("store").toString());
        assertThat(config.certstoreDirectory()).isEqualTo(etc.resolve("store"));
        assertThat(config.certstore().keyPassword()).isEqualTo("file:" + etc.resolve("store/keystore.pass"));
        assertThat(config.certstore().ldap().bindPassword()).isEqualTo("file:" + etc.resolve("ldap.pw"));
        assertThat(config.certstore().ldap().trustStore()).isEqualTo(etc.resolve("ldap-trust.p12").toString());
        assertThat(config.certstore().ldap().trustStorePasswordRef()).isEqualTo("env:LDAP_TRUST_PW");
        assertThat(config.certstore().ldap().baseDn()).isEqualTo("dc=example,dc=com");
        assertThat(config.certstore().pkcs11().library()).isEqualTo(etc.resolve("lib/pkcs11.so").toString());
        assertThat(config.certstore().pkcs11().pin()).isEqualTo("file:/run/secrets/pin");
    }

    @Test
    void unknownKeyNamesFileLineAndKey() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com
                admin:
                  bind: 127.0.0.1
                  prot: 8025
                """);
        assertThat(e.file()).endsWith("gateway.yaml");
        assertThat(e.line()).hasValue(4);
        assertThat(e.reason()).contains("unknown key 'prot'").contains("admin").contains("port");
        assertThat(e.getMessage()).matches(".*gateway\\.yaml:4: unknown key 'prot'.*");
    }

    @Test
    void unknownTopLevelKey() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com

                smpt:
                  port: 25
                """);
        assertThat(e.line()).hasValue(3);
        assertThat(e.reason()).contains("unknown key 'smpt'").contains("smtp");
    }

    @Test
    void wrongTypeNamesKeyAndLine() throws Exception {
        ConfigFileException e = failure("""
                admin:
                  bind: 127.0.0.1
                  port: eighty
                """);
        assertThat(e.line()).hasValue(3);
        assertThat(e.reason()).isEqualTo("admin.port: 'eighty' is not a whole number");
    }

    @Test
    void cryptoProvidersDefaultsToAutoAndNamesABadValue() throws Exception {
        Path file = dir.resolve("crypto.yaml");
        Files.writeString(file, "crypto:\n  providers: jdk\n");
        assertThat(new ConfigLoader().load(file).crypto().providers()).isEqualTo(CryptoProviders.JDK);
        assertThat(GatewayConfig.defaults().crypto().providers()).isEqualTo(CryptoProviders.AUTO);
        ConfigFileException e = failure("""
                crypto:
                  providers: openssl
                """);
        assertThat(e.line()).hasValue(2);
        assertThat(e.reason()).contains("expected auto, jdk, bc or accp, got 'openssl'");
    }

    @Test
    void listWhereScalarExpected() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com
                internalDomains: example.com
                """);
        assertThat(e.line()).hasValue(2);
        assertThat(e.reason()).startsWith("internalDomains:");
    }

    @Test
    void portOutOfRange() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com
                embeddedMailbox:
                  enabled: true
                  smtpPort: 3025
                  imapPort: 70000
                """);
        assertThat(e.line()).hasValue(5);
        assertThat(e.reason()).isEqualTo("embeddedMailbox.imapPort: 70000 is not a port (0-65535; 0 picks a free port)");
    }

    @Test
    void negativeAdminPort() throws Exception {
        ConfigFileException e = failure("admin:\n  port: -1\n");
        assertThat(e.line()).hasValue(2);
        assertThat(e.reason()).contains("admin.port").contains("-1 is not a port");
    }

    @Test
    void badBindAddressAndDomain() throws Exception {
        assertThat(failure("admin:\n  bind: 'not an address'\n").reason()).contains("admin.bind");
        ConfigFileException e = failure("internalDomains:\n  - example.com\n  - 'bad domain'\n");
        assertThat(e.line()).hasValue(3);
        assertThat(e.reason()).contains("internalDomains[1]");
    }

    @Test
    void yamlSyntaxError() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com
                admin:
                  port: 1
                 bind: [unclosed
                """);
        assertThat(e.line().getAsInt()).isGreaterThanOrEqualTo(3);
        assertThat(e.reason()).startsWith("YAML syntax error");
    }

    @Test
    void duplicateKey() throws Exception {
        ConfigFileException e = failure("admin:\n  port: 1\n  port: 2\n");
        assertThat(e.line()).hasValue(3);
        assertThat(e.reason()).contains("port");
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> new ConfigLoader().load(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageEndingWith("nope.yaml: file not found");
    }

    @Test
    void stateDirThatIsAFile() throws Exception {
        Files.writeString(dir.resolve("afile"), "x");
        ConfigFileException e = failure("hostname: h\nstateDir: afile\n");
        assertThat(e.line()).hasValue(2);
        assertThat(e.reason()).contains("stateDir").contains("not a directory");
    }

    @Test
    void smtpSectionErrorsPointAtTheirKey() throws Exception {
        ConfigFileException e = failure("""
                hostname: gw.example.com
                smtp:
                  bind: 127.0.0.1
                  port: 123456
                """);
        assertThat(e.line()).hasValue(4);
        assertThat(e.reason()).isEqualTo("smtp.port: must be 0..65535, is 123456");

        ConfigFileException cidr = failure("""
                smtp:
                  mynetworks:
                    - 10.0.0.0/8
                    - 10.0.0.0/40
                """);
        assertThat(cidr.line()).hasValue(2);
        assertThat(cidr.reason()).contains("smtp.mynetworks").contains("10.0.0.0/40");
    }

    @Test
    void pipelineDefaultsAndErrors() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "pipeline:\n  workers: 2\n");
        GatewayConfig config = new ConfigLoader().load(file);
        assertThat(config.pipeline().config()).isEqualTo(dir.resolve("mailetcontainer.xml"));
        assertThat(config.pipeline().workers()).isEqualTo(2);
        assertThat(config.pipeline().maxFailures()).isEqualTo(5);

        ConfigFileException workers =
                failure("hostname: h\npipeline:\n  config: mailetcontainer.xml\n  workers: 0\n");
        assertThat(workers.line()).hasValue(4);
        assertThat(workers.reason()).contains("pipeline.workers must be at least 1");

        ConfigFileException missing = failure("pipeline:\n  config: conf/nope.xml\n");
        assertThat(missing.line()).hasValue(2);
        assertThat(missing.reason()).isEqualTo("pipeline.config: file " + dir.resolve("conf/nope.xml") + " does not exist");
    }

    @Test
    void spoolAndMimeLimitsDefaultsValuesAndErrors() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "smtp:\n  maxMessageSize: 10485760\n");
        GatewayConfig defaults = new ConfigLoader().load(file);
        assertThat(defaults.spool().minFreeBytes()).isEqualTo(15_728_640L); // 1.5 x maxMessageSize, as Postfix
        assertThat(defaults.spool().recycleBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(defaults.pipeline().mimeLimits()).isEqualTo(org.smimegw.mailets.mime.MimeLimits.defaults());

        Files.writeString(file, """
                spool: {minFreeBytes: 1000000, recycleBytes: 0}
                pipeline:
                  mimeLimits: {maxDepth: 20, maxParts: 500, maxHeaderBytes: 65536}
                delivery: {idleTimeoutSeconds: 3}
                """);
        GatewayConfig set = new ConfigLoader().load(file);
        assertThat(set.spool().minFreeBytes()).isEqualTo(1_000_000L);
        assertThat(set.spool().recycleBytes()).isZero();
        assertThat(set.pipeline().mimeLimits()).isEqualTo(new org.smimegw.mailets.mime.MimeLimits(20, 500, 65536));
        assertThat(set.delivery().idleTimeoutSeconds()).isEqualTo(3);

        ConfigFileException negative = failure("hostname: h\nspool:\n  minFreeBytes: -1\n");
        assertThat(negative.line()).hasValue(3);
        assertThat(negative.reason()).isEqualTo("spool.minFreeBytes: must not be negative, is -1");
        ConfigFileException depth = failure("pipeline:\n  mimeLimits:\n    maxDepth: 0\n");
        assertThat(depth.line()).hasValue(3);
        assertThat(depth.reason()).isEqualTo("pipeline.mimeLimits.maxDepth: must be at least 1, is 0");
        ConfigFileException unknown = failure("pipeline:\n  mimeLimits:\n    maxDeep: 3\n");
        assertThat(unknown.reason()).contains("unknown key 'maxDeep'");
    }

    @Test
    void tlsFilesMustBeReadable() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "x");
        ConfigFileException e = failure("""
                smtp:
                  tls:
                    certificate: cert.pem
                    privateKey: key.pem
                """);
        assertThat(e.line()).hasValue(4);
        assertThat(e.reason()).startsWith("smtp.tls.privateKey: file ").endsWith("key.pem does not exist");
    }

    @Test
    void certstoreSectionIsStrictToo() throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "certstore:\n  directory: certs\n  revocation:\n    mode: hard_fail\n");
        GatewayConfig config = new ConfigLoader().load(file);
        assertThat(config.certstore().directory()).isEqualTo(dir.resolve("certs").toString());
        assertThat(config.certstore().revocation().mode())
                .isEqualTo(org.smimegw.certstore.CertStoreConfig.RevocationMode.HARD_FAIL);

        Files.writeString(file, "certstore:\n  revocation:\n    mode: OFF\ndelivery:\n  smarthost: {host: h, starttls: OFF}\n");
        GatewayConfig off = new ConfigLoader().load(file);
        assertThat(off.certstore().revocation().mode()).isEqualTo(org.smimegw.certstore.CertStoreConfig.RevocationMode.OFF);
        assertThat(off.delivery().smarthost().starttls())
                .isEqualTo(org.smimegw.gateway.delivery.DeliveryConfig.StartTls.OFF);

        ConfigFileException e = failure("certstore:\n  directory: certs\n  revocation:\n    mode: MAYBE\n");
        assertThat(e.line()).hasValue(4);
        assertThat(e.reason()).startsWith("certstore.revocation.mode: 'MAYBE' is not one of SOFT_FAIL, HARD_FAIL, OFF");
    }

    @Test
    void cidrAndFileChecks() throws Exception {
        var problems = new java.util.ArrayList<ConfigProblem>();
        ConfigValidator.cidr(problems, "/a", "10.0.0.0/8");
        ConfigValidator.cidr(problems, "/b", "::1/128");
        ConfigValidator.cidr(problems, "/c", "127.0.0.1");
        assertThat(problems).isEmpty();
        ConfigValidator.cidr(problems, "/d", "10.0.0.0/33");
        ConfigValidator.cidr(problems, "/e", "300.1.1.1/8");
        ConfigValidator.cidr(problems, "/f", "example.com/8");
        ConfigValidator.readableFile(problems, "/g", dir.resolve("missing.pem"));
        assertThat(problems).extracting(ConfigProblem::pointer).containsExactly("/d", "/e", "/f", "/g");
    }
}
