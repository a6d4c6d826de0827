package org.smimegw.certstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.testing.TestPki;

class MergedTrustTest {
    private final TestPki a = TestPki.create("MergedA");
    private final TestPki b = TestPki.create("MergedB");

    @Test
    void unitesTheSourcesEachCertificateOnceAndKeepsTheInstanceWhileNoSourceChanged() {
        TrustCollection file = new TrustCollection(List.of(a.rootCertificate()),
                List.of(a.intermediate().certificate()), List.of());
        AtomicReference<TrustCollection> directory = new AtomicReference<>(new TrustCollection(
                List.of(a.rootCertificate(), b.rootCertificate()), List.of(b.intermediate().certificate()),
                List.of(b.crl(Instant.now().plus(Duration.ofDays(1))))));
        MergedTrust merged = new MergedTrust(List.of(() -> file, directory::get));

        TrustCollection first = merged.get();
        assertThat(first.roots()).containsExactly(a.rootCertificate(), b.rootCertificate());
        assertThat(first.intermediates()).containsExactly(a.intermediate().certificate(),
                b.intermediate().certificate());
        assertThat(first.crls()).hasSize(1);
        assertThat(merged.get()).isSameAs(first);

        directory.set(new TrustCollection(List.of(b.rootCertificate()), List.of(), List.of()));
        TrustCollection second = merged.get();
        assertThat(second).isNotSameAs(first);
        assertThat(second.intermediates()).containsExactly(a.intermediate().certificate());
        assertThat(second.crls()).isEmpty();
    }

    @Test
    void aCertificateThatIsAnAnchorSomewhereIsNotAlsoAnIntermediate() {
        TrustCollection asRoot = new TrustCollection(List.of(a.intermediate().certificate()), List.of(), List.of());
        TrustCollection asIntermediate = new TrustCollection(List.of(), List.of(a.intermediate().certificate()),
                List.of());
        TrustCollection merged = new MergedTrust(List.of(() -> asIntermediate, () -> asRoot)).get();
        assertThat(merged.roots()).containsExactly(a.intermediate().certificate());
        assertThat(merged.intermediates()).isEmpty();
    }

    @Test
    void anEmptySourceLeavesTheOthersCollectionAsItIs() {
        // the gateway merges the file store with the directory's trust, which is empty without trustBaseDn
        TrustCollection file = new TrustCollection(List.of(a.rootCertificate()), List.of(a.intermediate()
                .certificate()), List.of());
        assertThat(new MergedTrust(List.of(() -> file, () -> TrustCollection.EMPTY)).get()).isSameAs(file);
        assertThat(new MergedTrust(List.of(() -> TrustCollection.EMPTY, () -> file)).get()).isSameAs(file);
    }

    @Test
    void oneSourceIsPassedThrough() {
        TrustCollection only = new TrustCollection(List.of(a.rootCertificate()), List.of(), List.of());
        assertThat(new MergedTrust(List.of(() -> only)).get()).isSameAs(only);
    }
}
