package org.smimegw.certstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;

class CompositeCertificateStoreTest {

    private static final TestPki PKI = TestPki.create("Composite");

    @TempDir
    Path dir;
    private FileCertificateStore file;

    /** A directory-like source answering from a list, or down. */
    private static final class FakeDirectory implements CertificateSource, HarvestSink {
        final List<PublishedCertificate> answers = new ArrayList<>();
        final List<HarvestedCertificate> stored = new ArrayList<>();
        boolean down;

        @Override
        public String name() {
            return "directory";
        }

        @Override
        public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
            if (down) {
                throw new DirectoryUnavailableException("directory down");
            }
            return answers;
        }

        @Override
        public void store(HarvestedCertificate certificate) throws DirectoryUnavailableException {
            if (down) {
                throw new DirectoryUnavailableException("directory down");
            }
            stored.add(certificate);
        }
    }

    private final FakeDirectory directory = new FakeDirectory();

    @BeforeEach
    void setUp() {
        file = new FileCertificateStore(dir, new KeyPasswordSource("env:P", Map.of("P", "pw")::get, false, dir),
                Clock.systemUTC(), Duration.ofSeconds(1));
    }

    private CompositeCertificateStore composite() {
        return new CompositeCertificateStore(List.of(file), List.of(file, directory), List.of(file, directory),
                file::trust, Clock.systemUTC());
    }

    @Test
    void mergesSourcesNewestFirstWithoutDuplicates() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued old = PKI.user("a@example.com").validity(now.minus(Duration.ofDays(20)), now.plus(Duration.ofDays(20))).issue();
        TestPki.Issued fresh = PKI.user("a@example.com").validity(now.minus(Duration.ofHours(2)), now.plus(Duration.ofDays(20))).issue();
        file.addUserCertificate(old.certificate(), List.of());
        directory.answers.add(new PublishedCertificate(fresh.certificate(), List.of(), null, "directory", now));
        directory.answers.add(new PublishedCertificate(old.certificate(), List.of(), null, "directory", now));
        assertThat(composite().encryptionCertificates("a@example.com")).extracting(PublishedCertificate::certificate)
                .containsExactly(fresh.certificate(), old.certificate());
    }

    @Test
    void directoryDownWithoutOtherAnswerIsTransientNotNone() throws Exception {
        directory.down = true;
        assertThatThrownBy(() -> composite().encryptionCertificates("b@example.com"))
                .isInstanceOf(DirectoryUnavailableException.class);
        TestPki.Issued b = PKI.issue("b@example.com");
        file.addUserCertificate(b.certificate(), List.of());
        assertThat(composite().encryptionCertificates("b@example.com")).hasSize(1);
    }

    @Test
    void keysComeFromKeySourcesAndHarvestGoesToEverySink() throws Exception {
        TestPki.Issued c = PKI.issue("c@example.com");
        file.addUserKey(c.privateKey(), c.certificate(), c.chain());
        CompositeCertificateStore store = composite();
        assertThat(store.signingKey("c@example.com")).get().extracting(UserKey::storage).isEqualTo(KeyStorage.SOFTWARE);
        assertThat(store.decryptionKeys("c@example.com")).hasSize(1);
        assertThat(store.trust()).isSameAs(file.trust());

        TestPki.Issued d = PKI.issue("d@example.com");
        store.harvest(new HarvestedCertificate("d@example.com", d.certificate(), List.of(), null, Instant.now()));
        assertThat(directory.stored).hasSize(1);
        assertThat(file.lookup("d@example.com")).hasSize(1);
        directory.down = true;
        assertThatThrownBy(() -> store.harvest(new HarvestedCertificate("e@example.com", PKI.issue("e@example.com")
                .certificate(), List.of(), null, Instant.now()))).isInstanceOf(DirectoryUnavailableException.class);
        assertThat(file.lookup("e@example.com")).hasSize(1);  // the file sink still got it
    }

    @Test
    void theNewestCapabilitiesSeenForACertificateApplyWhicheverSourceHasThem() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued f = PKI.issue("f@example.com");
        SmimeCapabilities cbcOnly = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.42"));
        SmimeCapabilities gcm = new SmimeCapabilities(List.of("2.16.840.1.101.3.4.1.46", "2.16.840.1.101.3.4.1.42"));
        file.addUserCertificate(f.certificate(), List.of());
        // the directory has the same certificate, harvested by another gateway: its capabilities apply
        directory.answers.add(new PublishedCertificate(f.certificate(), List.of(), cbcOnly, "directory",
                now.minus(Duration.ofDays(2))));
        assertThat(composite().encryptionCertificates("f@example.com")).singleElement()
                .satisfies(p -> assertThat(p.capabilities()).isEqualTo(cbcOnly));

        // seen here later with other capabilities: those apply; an older sighting elsewhere does not override them
        file.store(new HarvestedCertificate("f@example.com", f.certificate(), List.of(), gcm, now.minus(Duration.ofDays(1))));
        assertThat(composite().encryptionCertificates("f@example.com")).singleElement()
                .satisfies(p -> assertThat(p.capabilities()).isEqualTo(gcm));
    }
}
