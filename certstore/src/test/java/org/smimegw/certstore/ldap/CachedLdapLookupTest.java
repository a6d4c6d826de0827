package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.cache.CachingCertificateSource;
import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.certstore.testing.TestPki;

/** The cache in front of the LDAP source, as the gateway wires them; and the measured lookup latencies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachedLdapLookupTest {

    private TestPki.Issued alice;
    private AdDirectory directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));

    @BeforeAll
    void pki() {
        TestPki pki = TestPki.create("Cached LDAP");
        alice = pki.issue("alice@example.com");
    }

    @BeforeEach
    void start() throws Exception {
        directory = AdDirectory.start();
        String dn = directory.addUser("Alice Smith", "alice@example.com", "SMTP:alice@example.com",
                "smtp:a.smith@example.com");
        directory.addValues(dn, "userSMIMECertificate", Pkcs7Blobs.certsOnly(alice.fullChain()));
        directory.addValues(dn, "userCertificate;binary", alice.certificate().getEncoded());
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private LdapCertificateSource ldap(LdapConfig config) {
        return new LdapCertificateSource(config, new SecretReferences(Map.<String, String>of()::get), clock);
    }

    @Test
    void cachesLdapAnswersAndSurvivesAnOutageOnlyForKnownCertificates() throws Exception {
        LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE).withTimeouts(1000, 1000);
        try (LdapCertificateSource ldap = ldap(config)) {
            CachingCertificateSource cache = new CachingCertificateSource(ldap, config.cacheSettings(), clock);
            assertThat(cache.lookup("a.smith@example.com")).hasSize(1);
            assertThat(cache.lookup("nobody@example.com")).isEmpty();
            assertThat(cache.lookup("A.Smith@example.com")).hasSize(1);
            assertThat(cache.hits()).isEqualTo(1);

            directory.shutDown();

            assertThat(cache.lookup("a.smith@example.com")).hasSize(1); // fresh
            assertThat(cache.lookup("nobody@example.com")).isEmpty(); // fresh negative
            clock.advance(Duration.ofSeconds(config.cacheTtlSeconds()));
            assertThat(cache.lookup("a.smith@example.com")).hasSize(1); // stale, directory down
            assertThat(cache.staleHits()).isEqualTo(1);
            assertThatThrownBy(() -> cache.lookup("nobody@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class); // never "none" when unknown
            assertThatThrownBy(() -> cache.lookup("alice@example.com"))
                    .isInstanceOf(DirectoryUnavailableException.class); // never looked up before
        }
    }

    /** Prints lookup latencies (no assertion on timing): LDAP over loopback, and from the cache. */
    @Test
    void measureLookupLatency() throws Exception {
        int n = 1000;
        LdapConfig config = LdapConfig.of(List.of(directory.url()), AdDirectory.BASE);
        try (LdapCertificateSource ldap = ldap(config)) {
            CachingCertificateSource cache = new CachingCertificateSource(ldap, config.cacheSettings(), clock);
            for (int i = 0; i < 200; i++) { // warm up JIT and the pool
                assertThat(ldap.lookup("alice@example.com")).hasSize(1);
                assertThat(cache.lookup("alice@example.com")).hasSize(1);
            }
            long[] viaLdap = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                int size = ldap.lookup(i % 2 == 0 ? "alice@example.com" : "a.smith@example.com").size();
                viaLdap[i] = System.nanoTime() - t;
                assertThat(size).isEqualTo(1);
            }
            long[] absent = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                int size = ldap.lookup("nobody" + i + "@example.com").size();
                absent[i] = System.nanoTime() - t;
                assertThat(size).isZero();
            }
            long[] viaCache = new long[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                int size = cache.lookup("alice@example.com").size();
                viaCache[i] = System.nanoTime() - t;
                assertThat(size).isEqualTo(1);
            }
            System.out.println(report("LDAP lookup over loopback (found: PKCS#7 of 3 + 1 DER)", viaLdap));
            System.out.println(report("LDAP lookup over loopback (no entry)", absent));
            System.out.println(report("cached lookup (fresh hit)", viaCache));
            assertThat(cache.hits()).isGreaterThanOrEqualTo(n);
        }
    }

    private static String report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1000.0;
        return String.format(Locale.ROOT, "LATENCY %-48s n=%d mean=%.1f us p50=%.1f us p99=%.1f us max=%.1f us",
                what, sorted.length, mean, sorted[sorted.length / 2] / 1000.0,
                sorted[(int) (sorted.length * 0.99)] / 1000.0, sorted[sorted.length - 1] / 1000.0);
    }
}
