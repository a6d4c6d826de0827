package org.smimegw.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import org.smimegw.gateway.config.ConsoleConfig;
import org.smimegw.gateway.smtp.TlsContextFactory;

/**
 * The console's TLS: the server key from {@code console.tls} (or a self-signed pair in
 * {@code <stateDir>/console-tls/}, made by the same {@link TlsContextFactory} as the SMTP front end's), and, with
 * {@code console.clientCertificateCa}, client certificates asked for (not required: password logins stay possible)
 * and checked against that CA.
 */
final class ConsoleTls {
    private ConsoleTls() {
    }

    static SslContextFactory.Server create(ConsoleConfig config, Path stateDir, String hostname, Clock clock)
            throws IOException {
        TlsContextFactory keys = new TlsContextFactory(clock);
        TrustManager[] trust = config.clientCertificateCa() == null ? null
                : trustManagers(config.clientCertificateCa());
        SSLContext context = TlsContextFactory.context(keys.keyManagers(config.tls().certificate(),
                config.tls().privateKey(), stateDir.resolve("console-tls"), hostname, "console.tls"), trust);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(context);
        factory.setSniRequired(false);
        factory.setWantClientAuth(trust != null);
        return factory;
    }

    private static TrustManager[] trustManagers(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("console.clientCertificateCa: no certificate in " + caFile);
            }
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                anchors.setCertificateEntry("ca" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("console.clientCertificateCa: cannot read " + caFile + ": " + e.getMessage(), e);
        }
    }
}
