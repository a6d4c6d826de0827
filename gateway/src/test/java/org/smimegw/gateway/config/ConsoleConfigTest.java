package org.smimegw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** {@code console:}: plain HTTP only on loopback; any other bind, or client certificates, is TLS. */
class ConsoleConfigTest {

    private static ConsoleConfig bound(String bind) {
        return ConsoleConfig.of(true, bind, 0, null, null, null, null, null, null);
    }

    @Test
    void everyAddressButLoopbackIsServedOverTls() {
        for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"}) {
            assertThat(bound(loopback).usesTls()).as(loopback).isFalse();
        }
        for (String other : new String[] {"0.0.0.0", "::", "192.0.2.10", "2001:db8::1", "console.example.com"}) {
            assertThat(bound(other).usesTls()).as(other).isTrue();
        }
        assertThat(ConsoleConfig.defaults().usesTls()).as("the default bind is loopback").isFalse();
    }

    @Test
    void clientCertificatesOrAConfiguredKeyMeanTlsOnLoopbackToo() {
        assertThat(ConsoleConfig.of(true, "127.0.0.1", 0, null, Path.of("ca.pem"), null, null, null, null).usesTls())
                .isTrue();
        assertThat(ConsoleConfig.of(true, "127.0.0.1", 0, new ConsoleConfig.Tls(Path.of("c.pem"), Path.of("k.pem")),
                null, null, null, null, null).usesTls()).isTrue();
    }
}
