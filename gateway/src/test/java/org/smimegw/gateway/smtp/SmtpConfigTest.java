package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class SmtpConfigTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    private SmtpConfig bind(String text) throws Exception {
        JsonNode root = yaml.readTree(text);
        return yaml.treeToValue(root.get("smtp"), SmtpConfig.class);
    }

    @Test
    void missingKeysTakeTheirDefaults() throws Exception {
        SmtpConfig c = bind("smtp:\n  hostname: gw.example.com\n");
        SmtpConfig d = SmtpConfig.defaults();
        assertThat(c.hostname()).isEqualTo("gw.example.com");
        assertThat(c.bind()).isEqualTo("127.0.0.1").isEqualTo(d.bind());
        assertThat(c.port()).isEqualTo(2525);
        assertThat(c.maxMessageSize()).isEqualTo(52_428_800L);
        assertThat(c.maxRecipients()).isEqualTo(100);
        assertThat(c.maxConnections()).isEqualTo(100);
        assertThat(c.idleTimeoutSeconds()).isEqualTo(300);
        assertThat(c.dataTimeoutSeconds()).isEqualTo(600);
        assertThat(c.maxLineLength()).isEqualTo(1000);
        assertThat(c.mynetworks()).containsExactly("127.0.0.0/8", "::1/128");
        assertThat(c.relayDomains()).isEmpty();
        assertThat(c.tls().certificate()).isNull();
        assertThat(c.auth().users()).isEmpty();
        assertThat(d.hostname()).isNull();
    }

    @Test
    void everyKeyBindsFromYaml() throws Exception {
        String hash = new PasswordHasher(1000).hash("pw".toCharArray());
        SmtpConfig c = bind("""
                smtp:
                  bind: 0.0.0.0
                  port: 25
                  hostname: mx.example.com
                  maxMessageSize: 1000000
                  maxRecipients: 10
                  maxConnections: 5
                  idleTimeoutSeconds: 30
                  dataTimeoutSeconds: 60
                  maxLineLength: 2000
                  mynetworks: [10.0.0.0/8, "2001:db8::/32"]
                  relayDomains: [example.com, .example.net]
                  tls:
                    certificate: /etc/gw/cert.pem
                    privateKey: /etc/gw/key.pem
                  auth:
                    users:
                      - name: alice
                        passwordHash: "%s"
                  proxyProtocol:
                    loadBalancers: [192.0.2.10, "2001:db8::10/128"]
                    headerTimeoutSeconds: 3
                """.formatted(hash));
        assertThat(c).isEqualTo(new SmtpConfig("0.0.0.0", 25, "mx.example.com", 1_000_000L, 10, 5, 30, 60, 2000,
                List.of("10.0.0.0/8", "2001:db8::/32"), List.of("example.com", ".example.net"),
                new SmtpConfig.Tls(Path.of("/etc/gw/cert.pem"), Path.of("/etc/gw/key.pem")),
                new SmtpConfig.Auth(List.of(new SmtpConfig.User("alice", hash))),
                new SmtpConfig.ProxyProtocol(List.of("192.0.2.10", "2001:db8::10/128"), 3)));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> bind("smtp:\n  mynetworks: [10.0.0.0/33]\n")).hasMessageContaining("smtp.mynetworks")
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> bind("smtp:\n  mynetworks: [mail.example.com]\n")).hasMessageContaining("smtp.mynetworks");
        assertThatThrownBy(() -> bind("smtp:\n  port: 70000\n")).hasMessageContaining("smtp.port");
        assertThatThrownBy(() -> bind("smtp:\n  proxyProtocol:\n    loadBalancers: [lb.example.com]\n"))
                .hasMessageContaining("smtp.proxyProtocol.loadBalancers").hasMessageContaining("lb.example.com");
        assertThatThrownBy(() -> bind("smtp:\n  proxyProtocol:\n    headerTimeoutSeconds: 0\n"))
                .hasMessageContaining("smtp.proxyProtocol.headerTimeoutSeconds");
        assertThatThrownBy(() -> bind("smtp:\n  tls:\n    certificate: /x.pem\n")).hasMessageContaining("smtp.tls");
        assertThatThrownBy(() -> bind("smtp:\n  auth:\n    users:\n      - name: bob\n        passwordHash: plain\n"))
                .hasMessageContaining("passwordHash");
    }

    @Test
    void networkListMatchesCidrBlocks() throws Exception {
        NetworkList n = NetworkList.parse(List.of("127.0.0.0/8", "::1/128", "192.0.2.16/28", "2001:db8::/32", "198.51.100.7"));
        assertThat(n.contains(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("192.0.2.31"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("192.0.2.32"))).isFalse();
        assertThat(n.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(n.contains(InetAddress.getByName("198.51.100.7"))).isTrue();
        assertThat(n.contains(InetAddress.getByName("198.51.100.8"))).isFalse();
        assertThat(n.contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(NetworkList.parse(List.of("0.0.0.0/0")).contains(InetAddress.getByName("203.0.113.9"))).isTrue();
    }

    @Test
    void passwordHasherVerifiesOnlyTheRightPassword() {
        PasswordHasher hasher = new PasswordHasher(1000);
        String h = hasher.hash("correct horse".toCharArray());
        assertThat(h).matches("pbkdf2-sha256:1000:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]{44}");
        assertThat(hasher.verify("correct horse".toCharArray(), h)).isTrue();
        assertThat(hasher.verify("correct horsE".toCharArray(), h)).isFalse();
        assertThat(hasher.verify("correct horse".toCharArray(), "garbage")).isFalse();
        assertThat(hasher.hash("correct horse".toCharArray())).isNotEqualTo(h);
        assertThat(new PasswordHasher().hash("x".toCharArray())).startsWith("pbkdf2-sha256:310000:");
        assertThat(PasswordHasher.isWellFormed(h)).isTrue();
        assertThatThrownBy(() -> new PasswordHasher(10)).isInstanceOf(IllegalArgumentException.class);
    }
}
