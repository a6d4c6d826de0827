package org.smimegw.mailets.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.testing.TestPki;

/** A CertificateStore in memory for the mailets' tests (until the real file store lands on main). */
public final class InMemoryCertificateStore implements CertificateStore {

    private final Map<String, List<PublishedCertificate>> published = new ConcurrentHashMap<>();
    private final Map<String, UserKey> signing = new ConcurrentHashMap<>();
    private final Map<String, List<UserKey>> decryption = new ConcurrentHashMap<>();
    private final List<HarvestedCertificate> harvested = new CopyOnWriteArrayList<>();
    private final TrustCollection trust;
    private volatile boolean unavailable;

    public InMemoryCertificateStore(TrustCollection trust) {
        this.trust = trust;
    }

    public static InMemoryCertificateStore trusting(TestPki pki) {
        return new InMemoryCertificateStore(new TrustCollection(List.of(pki.rootCertificate()),
                List.of(pki.intermediate().certificate()), List.of()));
    }

    private static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    public static UserKey userKey(TestPki.Issued issued) {
        return new UserKey(issued.privateKey(), issued.certificate(), issued.chain(), KeyStorage.SOFTWARE);
    }

    /** An internal user: signing key, decryption key and published certificate. */
    public InMemoryCertificateStore addUser(String address, TestPki.Issued issued) {
        signing.put(key(address), userKey(issued));
        decryption.computeIfAbsent(key(address), a -> new CopyOnWriteArrayList<>()).add(userKey(issued));
        return publish(address, issued, SmimeCapabilities.UNKNOWN);
    }

    public InMemoryCertificateStore publish(String address, TestPki.Issued issued, SmimeCapabilities capabilities) {
        published.computeIfAbsent(key(address), a -> new CopyOnWriteArrayList<>())
                .add(0, new PublishedCertificate(issued.certificate(), issued.chain(), capabilities, "memory", Instant.now()));
        return this;
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
        return List.copyOf(published.getOrDefault(key(address), List.of()));
    }

    @Override
    public Optional<UserKey> signingKey(String address) {
        return Optional.ofNullable(signing.get(key(address)));
    }

    @Override
    public List<UserKey> decryptionKeys(String address) {
        return new ArrayList<>(decryption.getOrDefault(key(address), List.of()));
    }

    @Override
    public TrustCollection trust() {
        return trust;
    }

    @Override
    public void harvest(HarvestedCertificate certificate) throws DirectoryUnavailableException {
        if (unavailable) {
            throw new DirectoryUnavailableException("directory down (test)");
        }
        harvested.add(certificate);
    }
}
