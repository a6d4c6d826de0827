package org.smimegw.certstore.file;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.UserKey;

/**
 * An immutable view of the store directory as {@link StoreReader} read it, indexed for the questions the store
 * answers. Keys are decrypted on first use and memoised (see {@link #key}).
 */
final class StoreSnapshot {

    private final String signature;
    private final TrustCollection trust;
    private final Map<String, List<PublishedCertificate>> published;
    private final Map<String, List<StoredCertificate>> keys;
    private final Map<String, HarvestRecord> harvested;
    private final List<StoredCertificate> all;
    private final Set<String> crlFingerprints;
    private final Map<String, UserKey> loadedKeys = new ConcurrentHashMap<>();

    /**
     * @param published certificates to encrypt to, by normalised address, in the order to offer them
     * @param keys      the certificates of the keys held, by normalised address
     * @param harvested harvest records by {@link HarvestRecord#key()}
     */
    StoreSnapshot(String signature, TrustCollection trust, Map<String, List<PublishedCertificate>> published,
                  Map<String, List<StoredCertificate>> keys, Map<String, HarvestRecord> harvested,
                  List<StoredCertificate> all, Set<String> crlFingerprints) {
        this.signature = signature;
        this.trust = trust;
        Map<String, List<PublishedCertificate>> p = new HashMap<>();
        published.forEach((a, l) -> p.put(a, List.copyOf(l)));
        this.published = Map.copyOf(p);
        Map<String, List<StoredCertificate>> k = new HashMap<>();
        keys.forEach((a, l) -> k.put(a, List.copyOf(l)));
        this.keys = Map.copyOf(k);
        this.harvested = Map.copyOf(harvested);
        this.all = List.copyOf(all);
        this.crlFingerprints = Set.copyOf(crlFingerprints);
    }

    /** The store's state this snapshot was read at ({@link StoreLayout#signature()}). */
    String signature() {
        return signature;
    }

    TrustCollection trust() {
        return trust;
    }

    List<PublishedCertificate> published(String address) {
        return published.getOrDefault(HarvestRecord.normalize(address), List.of());
    }

    List<StoredCertificate> keys(String address) {
        return keys.getOrDefault(HarvestRecord.normalize(address), List.of());
    }

    /** The record of {@code fingerprint}'s certificate harvested for {@code address}, or null. */
    HarvestRecord harvested(String fingerprint, String address) {
        return harvested.get(HarvestRecord.key(fingerprint, address));
    }

    /** Every certificate held, trust first, then users, keys and harvested ones. */
    List<StoredCertificate> all() {
        return all;
    }

    Set<String> crlFingerprints() {
        return crlFingerprints;
    }

    boolean contains(String fingerprint) {
        String fp = fingerprint.toLowerCase(Locale.ROOT);
        return all.stream().anyMatch(c -> c.fingerprint().equals(fp)) || crlFingerprints.contains(fp);
    }

    /**
     * The key of {@code fingerprint}: unlocked once by {@code reader} (null when unusable), then kept. Threads asking
     * for the same key at once wait for one unlock (each would otherwise derive the key itself, milliseconds each, and
     * callers would see different key objects for the same key).
     */
    UserKey key(String fingerprint, Function<String, UserKey> reader) {
        UserKey k = loadedKeys.get(fingerprint);
        return k != null ? k : loadedKeys.computeIfAbsent(fingerprint, reader);
    }

    /**
     * Takes over the keys {@code previous} already unlocked: a key file is named by its certificate's fingerprint and
     * only ever holds that certificate's key, and a PKCS#12 unlock costs milliseconds of key derivation.
     */
    void keepUnlockedKeys(StoreSnapshot previous) {
        if (previous != null) {
            loadedKeys.putAll(previous.loadedKeys);
        }
    }
}
