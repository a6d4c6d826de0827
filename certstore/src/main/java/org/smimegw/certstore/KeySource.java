package org.smimegw.certstore;

import java.util.List;

/**
 * Somewhere private keys of internal users are held: PKCS#12 files in the embedded store ({@link KeyStorage#SOFTWARE}),
 * later a PKCS#11 token ({@link KeyStorage#HARDWARE}). A {@link CertificateStore} asks its key sources in order.
 */
public interface KeySource {

    /** A short name for logs, e.g. "file" or "pkcs11:slot0". */
    String name();

    /** Every key held for {@code address} (case-insensitive), in no particular order; empty when none. */
    List<UserKey> keys(String address);
}
