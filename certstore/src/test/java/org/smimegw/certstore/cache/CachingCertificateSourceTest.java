package org.smimegw.certstore.cache;

import org.smimegw.certstore.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.testing.TestPki;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CachingCertificateSourceTest {

    /** A source answering from a map, counting calls, that can be switched off like a directory going down. */
    static final class TableSource implements CertificateSource {
        final Map<String, List<PublishedCertificate>> table = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        @Override
        public String name() {
            return "table";
        }

        @Override
        public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
            calls.incrementAndGet();
            if (down) {
                throw new DirectoryUnavailableException("table is down");
            }
            return table.getOrDefault(address.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private PublishedCertificate alice;
    private PublishedCertificate bob;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T09:00:00Z"));
    private final CacheSettings settings = new CacheSettings(Duration.ofSeconds(300), Duration.ofSeconds(60), 100,
            Duration.ofSeconds(600));

    @BeforeAll
    void certificates() {
        TestPki pki = TestPki.create("Cache");
        TestPki.Issued a = pki.issue("alice@example.com");
        TestPki.Issued b = pki.issue("bob@example.com");
        alice = new PublishedCertificate(a.certificate(), a.chain(), null, "table", Instant.EPOCH);
        bob = new PublishedCertificate(b.certificate(), b.chain(), null, "table", Instant.EPOCH);
    }

    @Test
    void positiveAnswerIsServedFromCacheUntilTtlExpires() throws Exception {
        TableSource table = new TableSource();
        table.table.put("alice@example.com", List.of(alice));
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);

        assertThat(cache.lookup("alice@example.com")).containsExactly(alice);
        assertThat(cache.lookup("ALICE@example.com ")).containsExactly(alice);
        clock.advance(Duration.ofSeconds(299));
        table.table.put("alice@example.com", List.of(alice, bob));
        assertThat(cache.lookup("alice@example.com")).containsExactly(alice);
        assertThat(table.calls).hasValue(1);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup("alice@example.com")).containsExactly(alice, bob);
        assertThat(table.calls).hasValue(2);
    }

    @Test
    void emptyAnswerIsCachedForTheShorterNegativeTtl() throws Exception {
        TableSource table = new TableSource();
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);

        assertThat(cache.lookup("bob@example.com")).isEmpty();
        table.table.put("bob@example.com", List.of(bob)); // published just now
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.lookup("bob@example.com")).isEmpty();
        assertThat(table.calls).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup("bob@example.com")).containsExactly(bob);
        assertThat(table.calls).hasValue(2);
    }

    @Test
    void failuresAreNotCached() throws Exception {
        TableSource table = new TableSource();
        table.table.put("alice@example.com", List.of(alice));
        table.down = true;
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);

        assertThatThrownBy(() -> cache.lookup("alice@example.com")).isInstanceOf(DirectoryUnavailableException.class);
        assertThatThrownBy(() -> cache.lookup("alice@example.com")).isInstanceOf(DirectoryUnavailableException.class);
        assertThat(table.calls).hasValue(2);
        assertThat(cache.failures()).isEqualTo(2);

        table.down = false;
        assertThat(cache.lookup("alice@example.com")).containsExactly(alice);
    }

    @Test
    void expiredPositiveAnswerIsServedStaleWhileDownButNeverAnExpiredEmptyOne() throws Exception {
        TableSource table = new TableSource();
        table.table.put("alice@example.com", List.of(alice));
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);
        cache.lookup("alice@example.com");
        cache.lookup("nobody@example.com");

        table.down = true;
        clock.advance(Duration.ofSeconds(301));
        assertThat(cache.lookup("alice@example.com")).containsExactly(alice);
        assertThat(cache.staleHits()).isEqualTo(1);
        assertThatThrownBy(() -> cache.lookup("nobody@example.com"))
                .isInstanceOf(DirectoryUnavailableException.class);

        clock.advance(Duration.ofSeconds(600)); // now 901 s old: beyond ttl + staleIfUnavailable
        assertThatThrownBy(() -> cache.lookup("alice@example.com"))
                .isInstanceOf(DirectoryUnavailableException.class);
    }

    @Test
    void staleServingCanBeTurnedOff() throws Exception {
        TableSource table = new TableSource();
        table.table.put("alice@example.com", List.of(alice));
        CachingCertificateSource cache = new CachingCertificateSource(table,
                new CacheSettings(Duration.ofSeconds(300), Duration.ofSeconds(60), 100, Duration.ZERO), clock);
        cache.lookup("alice@example.com");
        table.down = true;
        clock.advance(Duration.ofSeconds(300));
        assertThatThrownBy(() -> cache.lookup("alice@example.com"))
                .isInstanceOf(DirectoryUnavailableException.class);
    }

    @Test
    void sizeIsBoundedLeastRecentlyUsedFirst() throws Exception {
        TableSource table = new TableSource();
        CachingCertificateSource cache = new CachingCertificateSource(table,
                new CacheSettings(Duration.ofSeconds(300), Duration.ofSeconds(60), 3, Duration.ZERO), clock);
        cache.lookup("a@x.example");
        cache.lookup("b@x.example");
        cache.lookup("c@x.example");
        cache.lookup("a@x.example"); // a is now the most recently used
        cache.lookup("d@x.example"); // evicts b
        assertThat(cache.size()).isEqualTo(3);
        int before = table.calls.get();
        cache.lookup("a@x.example");
        cache.lookup("c@x.example");
        cache.lookup("d@x.example");
        assertThat(table.calls).hasValue(before);
        cache.lookup("b@x.example");
        assertThat(table.calls).hasValue(before + 1);
    }

    @Test
    void invalidatingSinkMakesAHarvestVisibleAtOnce() throws Exception {
        TableSource table = new TableSource();
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);
        assertThat(cache.lookup("bob@example.com")).isEmpty();

        cache.invalidating(h -> table.table.put(h.address(), List.of(bob)))
                .store(new HarvestedCertificate("bob@example.com", bob.certificate(), List.of(), null, clock.instant()));

        assertThat(cache.lookup("bob@example.com")).containsExactly(bob);
    }

    @Test
    void concurrentLookupsAreConsistent() throws Exception {
        TableSource table = new TableSource();
        table.table.put("alice@example.com", List.of(alice));
        CachingCertificateSource cache = new CachingCertificateSource(table, settings, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int found = 0;
                    for (int i = 0; i < 2000; i++) {
                        found += cache.lookup(i % 2 == 0 ? "alice@example.com" : "n" + (i % 50) + id + "@x.example")
                                .size();
                    }
                    return found;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1000);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.hits() + cache.misses()).isEqualTo(16_000);
        assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
}
