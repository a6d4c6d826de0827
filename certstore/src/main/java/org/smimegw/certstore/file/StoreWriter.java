package org.smimegw.certstore.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.file.StoreLayout.Area;

/**
 * Every change to the store directory: each file is written temp + fsync + rename ({@link AtomicFiles}), then the
 * generation marker is bumped and {@code changed} told, so that readers here and in other processes reload. One
 * write at a time.
 */
final class StoreWriter {

    private final StoreLayout layout;
    private final KeyPasswordSource keyPassword;
    private final Clock clock;
    private final Runnable changed;
    private final ReentrantLock lock = new ReentrantLock();

    /** @param changed told after every change (the store then reads the directory again) */
    StoreWriter(StoreLayout layout, KeyPasswordSource keyPassword, Clock clock, Runnable changed) {
        this.layout = layout;
        this.keyPassword = keyPassword;
        this.clock = clock;
        this.changed = changed;
    }

    /** A CA certificate: a root when self-issued, otherwise an intermediate. */
    void addTrusted(X509Certificate certificate) throws IOException {
        Area area = Certificates.isSelfIssued(certificate) ? Area.ROOTS : Area.INTERMEDIATES;
        write(layout.file(area, Certificates.sha256(certificate)), pem(List.of(certificate)));
    }

    void addUserCertificate(X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        write(layout.file(Area.USERS, Certificates.sha256(certificate)), pem(withChain(certificate, chain)));
    }

    /** The key as PKCS#12 under the store's key password, then its certificate and chain as the index entry. */
    void addUserKey(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) throws IOException {
        String fp = Certificates.sha256(certificate);
        List<X509Certificate> all = withChain(certificate, chain);
        char[] password = keyPassword.password();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(fp.substring(0, 16), key, password, all.toArray(X509Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            lock.lock();
            try {
                AtomicFiles.write(layout.file(Area.KEYS, fp), out.toByteArray());
                write(layout.file(Area.KEY_INDEX, fp), pem(all));  // last: readers find a complete pair
            } finally {
                lock.unlock();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS#12 key file: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    void addCrl(X509CRL crl) throws IOException {
        try {
            byte[] der = crl.getEncoded();
            write(layout.file(Area.CRLS, Certificates.sha256(der)), der);
        } catch (CRLException e) {
            throw new IOException("cannot encode CRL: " + e.getMessage(), e);
        }
    }

    void harvest(HarvestRecord record) throws IOException {
        write(layout.file(Area.HARVESTED, record.fileName()), record.format());
    }

    /**
     * Removes every certificate, key or CRL of the store as {@code current} reads it (under the write lock) whose SHA-256 fingerprint is {@code fingerprint} (or
     * starts with it, when at least 8 hex digits and unique).
     *
     * @throws IllegalArgumentException when a prefix matches more than one certificate
     */
    FileCertificateStore.Removed remove(String fingerprint, Supplier<StoreSnapshot> current) throws IOException {
        String fp = fingerprint.toLowerCase(Locale.ROOT).replace(":", "");
        lock.lock();
        try {
            StoreSnapshot snapshot = current.get();
            List<StoredCertificate> matches = snapshot.all().stream().filter(c -> matches(c.fingerprint(), fp))
                    .toList();
            Set<String> distinct = new LinkedHashSet<>();
            matches.forEach(m -> distinct.add(m.fingerprint()));
            if (distinct.size() > 1) {
                throw new IllegalArgumentException("fingerprint prefix " + fp + " matches " + distinct.size()
                        + " certificates: give more digits");
            }
            boolean changedAny = false;
            for (String full : distinct) {
                for (Area area : List.of(Area.ROOTS, Area.INTERMEDIATES, Area.USERS, Area.KEY_INDEX, Area.KEYS)) {
                    changedAny |= Files.deleteIfExists(layout.file(area, full));
                }
                for (Path h : layout.files(Area.HARVESTED)) {
                    if (h.getFileName().toString().startsWith(full)) {
                        changedAny |= Files.deleteIfExists(h);
                    }
                }
            }
            List<String> crlsRemoved = new ArrayList<>();
            for (String c : snapshot.crlFingerprints()) {
                if (matches(c, fp) && Files.deleteIfExists(layout.file(Area.CRLS, c))) {
                    crlsRemoved.add(c);
                    changedAny = true;
                }
            }
            if (changedAny) {
                bumpGeneration();
            }
            return new FileCertificateStore.Removed(matches, crlsRemoved);
        } finally {
            lock.unlock();
        }
    }

    private static boolean matches(String fingerprint, String wanted) {
        return wanted.length() >= 8 ? fingerprint.startsWith(wanted) : fingerprint.equals(wanted);
    }

    private void write(Path file, byte[] content) throws IOException {
        lock.lock();
        try {
            AtomicFiles.write(file, content);
            bumpGeneration();
        } finally {
            lock.unlock();
        }
    }

    private void bumpGeneration() throws IOException {
        layout.bumpGeneration(clock.instant());
        changed.run();
    }

    private static List<X509Certificate> withChain(X509Certificate certificate, List<X509Certificate> chain) {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(chain);
        return all;
    }

    private static byte[] pem(Collection<X509Certificate> certs) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (X509Certificate c : certs) {
                w.writeObject(c);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
