package org.smimegw.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.certstore.testing.TestPki;

/**
 * Logins and transport: a user logs in by binding as themself to the directory (the in-process UnboundID server),
 * and a console that must use TLS serves HTTPS only.
 */
class ConsoleSecurityTest {
    private static final String DANA = "dana@example.com";
    private static final String DANA_PASSWORD = "dana's directory password";

    @TempDir
    Path dir;

    private static InMemoryDirectoryServer directory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getByName("127.0.0.1"), 0, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add(new Entry("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example"));
        server.add(new Entry("dn: ou=people,dc=example,dc=com", "objectClass: top",
                "objectClass: organizationalUnit", "ou: people"));
        server.add(new Entry("dn: uid=dana,ou=people,dc=example,dc=com", "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: dana", "cn: Dana",
                "sn: Dana", "mail: " + DANA, "userPassword: " + DANA_PASSWORD));
        server.startListening();
        return server;
    }

    @Test
    void aUserLogsInByBindingToTheDirectoryAndAWrongPasswordIsRefused() throws Exception {
        InMemoryDirectoryServer ldap = directory();
        try (ConsoleFixture gateway = new ConsoleFixture(dir, "",
                "ldap://127.0.0.1:" + ldap.getListenPort())) {
            ApiClient dana = new ApiClient(gateway.uri());
            assertThat(dana.login(DANA, DANA_PASSWORD).get("role").asText()).isEqualTo("user");
            assertThat(dana.get("/api/me").status()).isEqualTo(200);
            assertThat(dana.get("/api/overview").status()).as("a directory user is no administrator")
                    .isEqualTo(403);

            ApiClient wrong = new ApiClient(gateway.uri());
            wrong.session();
            assertThat(wrong.send("POST", "/api/login", "{\"name\":\"" + DANA + "\",\"password\":\"guess\"}")
                    .status()).isEqualTo(401);
            ApiClient admin = new ApiClient(gateway.uri());
            admin.login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD);
            String audit = admin.get("/api/audit?limit=1000").text();
            assertThat(audit).contains(DANA).doesNotContain(DANA_PASSWORD);

            ldap.shutDown(true);
            ApiClient unreachable = new ApiClient(gateway.uri());
            unreachable.session();
            assertThat(unreachable.send("POST", "/api/login", "{\"name\":\"" + DANA + "\",\"password\":\""
                    + DANA_PASSWORD + "\"}").status()).as("directory down: not a wrong password").isEqualTo(503);
        } finally {
            ldap.shutDown(true);
        }
    }

    @Test
    void aConsoleThatNeedsTlsServesHttpsOnly() throws Exception {
        TestPki clients = TestPki.create("Console Client CA");
        Path ca = Files.writeString(dir.resolve("client-ca.pem"), TestPki.pem(clients.rootCertificate()));
        // client certificates make the console use TLS on loopback too: the path every non-loopback bind takes
        try (ConsoleFixture gateway = new ConsoleFixture(Files.createDirectories(dir.resolve("gw")),
                "clientCertificateCa: " + ca)) {
            URI uri = gateway.uri();
            assertThat(uri.getScheme()).isEqualTo("https");
            URI plain = URI.create("http://" + uri.getHost() + ":" + uri.getPort() + "/");
            try {
                ApiClient.Reply reply = new ApiClient(plain).get("/api/session");
                assertThat(reply.status()).as("plain HTTP on the TLS port").isNotEqualTo(200);
                assertThat(reply.text()).doesNotContain("csrfToken");
            } catch (IOException refused) {
                // the TLS connector does not speak plain HTTP: refused is as good as an error status
            }

            ApiClient tls = new ApiClient(uri, trusting(gateway.dir.resolve("var").resolve("console-tls")
                    .resolve("certificate.pem")));
            assertThat(tls.session().get("authenticated").asBoolean()).isFalse();
            assertThat(tls.get("/login").status()).isEqualTo(200);
            assertThat(tls.login(ConsoleFixture.ADMIN, ConsoleFixture.ADMIN_PASSWORD).get("role").asText())
                    .isEqualTo("admin");
            assertThatThrownBy(() -> new ApiClient(uri).get("/api/session")).as("an untrusted certificate")
                    .isInstanceOf(IOException.class);
        }
    }

    /**
     * Trusts exactly the certificate in {@code pem} (the console's generated one, which names the gateway's host
     * name, not the loopback address the test connects to: the chain is checked, the name is not).
     */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("console" + i++, c);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        X509TrustManager pinned = (X509TrustManager) factory.getTrustManagers()[0];
        X509ExtendedTrustManager chainOnly = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                pinned.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                pinned.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                pinned.checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("a client");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("a client");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return pinned.getAcceptedIssuers();
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {chainOnly}, null);
        return context;
    }
}
