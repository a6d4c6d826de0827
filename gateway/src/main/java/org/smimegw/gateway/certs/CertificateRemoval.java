package org.smimegw.gateway.certs;

import java.io.IOException;
import java.util.Locale;
import java.util.NoSuchElementException;

import org.smimegw.certstore.file.FileCertificateStore;

/**
 * Removes a certificate (with its key, if any) or a CRL from the embedded store by its SHA-256 fingerprint, as
 * {@code certs remove} and the console do: colons allowed, a unique prefix of at least 8 hex digits will do.
 */
public final class CertificateRemoval {
    private final FileCertificateStore store;

    public CertificateRemoval(FileCertificateStore store) {
        this.store = store;
    }

    /**
     * @throws IllegalArgumentException when {@code fingerprint} is no fingerprint or its prefix is ambiguous
     * @throws NoSuchElementException   when nothing has that fingerprint
     */
    public FileCertificateStore.Removed remove(String fingerprint) throws IOException {
        String fp = fingerprint.replace(":", "").toLowerCase(Locale.ROOT).trim();
        if (!fp.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("'" + fingerprint + "' is not a SHA-256 fingerprint (at least 8 hex digits)");
        }
        FileCertificateStore.Removed removed = store.remove(fp);
        if (removed.isEmpty()) {
            throw new NoSuchElementException("no certificate or CRL with fingerprint " + fp);
        }
        return removed;
    }
}
