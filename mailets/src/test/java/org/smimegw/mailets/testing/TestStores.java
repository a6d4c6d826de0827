package org.smimegw.mailets.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.KeyPasswordSource;
import org.smimegw.certstore.testing.TestPki;

/** Real file certificate stores for the mailet tests, filled from a {@link TestPki}. */
public final class TestStores {

    private TestStores() {
    }

    /** A file store in {@code dir} that trusts the PKI's root and intermediate. */
    public static FileCertificateStore fileStore(Path dir, TestPki pki) {
        try {
            FileCertificateStore store = new FileCertificateStore(dir.resolve("store"),
                    new KeyPasswordSource("file:" + dir.resolve("key-password"), System::getenv, true, dir));
            store.addTrusted(pki.rootCertificate());
            store.addTrusted(pki.intermediate().certificate());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An internal user: key and certificate (signing, decryption, published). */
    public static FileCertificateStore addUser(FileCertificateStore store, TestPki.Issued user) {
        try {
            store.addUserKey(user.privateKey(), user.certificate(), user.chain());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A correspondent's published certificate. */
    public static FileCertificateStore publish(FileCertificateStore store, TestPki.Issued user) {
        try {
            store.addUserCertificate(user.certificate(), user.chain());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A store whose directory can be made unavailable, recording what was harvested. */
    public static final class SwitchableStore implements CertificateStore {
        private final CertificateStore delegate;
        private final List<HarvestedCertificate> harvested = new CopyOnWriteArrayList<>();
        private volatile boolean unavailable;

        public SwitchableStore(CertificateStore delegate) {
            this.delegate = delegate;
        }

        public void setUnavailable(boolean unavailable) {
            this.unavailable = unavailable;
        }

        public List<HarvestedCertificate> harvested() {
            return List.copyOf(harvested);
        }

        @Override
        public List<PublishedCertificate> encryptionCertificates(String address) throws DirectoryUnavailableException {
            if (unavailable) {
                throw new DirectoryUnavailableException("directory down (test)");
            }
            return delegate.encryptionCertificates(address);
        }

        @Override
        public Optional<UserKey> signingKey(String address) {
            return delegate.signingKey(address);
        }

        @Override
        public List<UserKey> decryptionKeys(String address) {
            return delegate.decryptionKeys(address);
        }

        @Override
        public TrustCollection trust() {
            return delegate.trust();
        }

        @Override
        public void harvest(HarvestedCertificate certificate) throws DirectoryUnavailableException {
            if (unavailable) {
                throw new DirectoryUnavailableException("directory down (test)");
            }
            delegate.harvest(certificate);
            harvested.add(certificate);
        }
    }
}
