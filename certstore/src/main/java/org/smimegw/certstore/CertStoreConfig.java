package org.smimegw.certstore;

import java.nio.file.Path;

import org.smimegw.certstore.ldap.LdapConfig;
import org.smimegw.certstore.pkcs11.Pkcs11Config;

/**
 * The {@code certstore:} section of the gateway configuration. Every component may be null (absent in YAML) and
 * then takes its default. The LDAP directory settings are added by the LDAP source.
 *
 * @param directory   the embedded store's directory (default {@code var/certstore}); relative paths resolve against
 *                    the base directory the caller gives (the gateway: the directory of its configuration file)
 * @param keyPassword where the password protecting the stored PKCS#12 keys comes from: {@code env:NAME} or
 *                    {@code file:PATH} (default {@code file:var/certstore/keystore.pass}). When the file is the
 *                    store's own, {@value #KEY_PASSWORD_FILE} in the store directory, and does not exist, a random
 *                    password is generated into it, mode 0600. Never the password itself.
 * @param revocation  revocation checking
 * @param ldap        {@code certstore.ldap:}: an LDAP directory as an additional source of recipients' certificates
 *                    (and, with {@code harvestBaseDn}, a shared harvest subtree); null = no directory
 * @param pkcs11      {@code certstore.pkcs11:}: a PKCS#11 token as an additional source of users' keys
 *                    ({@code HARDWARE}); null = no token
 */
public record CertStoreConfig(String directory, String keyPassword, Revocation revocation, LdapConfig ldap,
                              Pkcs11Config pkcs11) {

    public static final String DEFAULT_DIRECTORY = "var/certstore";
    public static final String DEFAULT_KEY_PASSWORD = "file:var/certstore/keystore.pass";
    /** The store's own key password file, in the store directory, generated when missing. */
    public static final String KEY_PASSWORD_FILE = "keystore.pass";

    public CertStoreConfig {
        directory = directory == null || directory.isBlank() ? DEFAULT_DIRECTORY : directory;
        keyPassword = keyPassword == null || keyPassword.isBlank() ? DEFAULT_KEY_PASSWORD : keyPassword;
        revocation = revocation == null ? Revocation.defaults() : revocation;
    }

    /** Without directory or token. */
    public CertStoreConfig(String directory, String keyPassword, Revocation revocation) {
        this(directory, keyPassword, revocation, null, null);
    }

    public static CertStoreConfig defaults() {
        return new CertStoreConfig(null, null, null, null, null);
    }

    public CertStoreConfig withLdap(LdapConfig newLdap) {
        return new CertStoreConfig(directory, keyPassword, revocation, newLdap, pkcs11);
    }

    public CertStoreConfig withPkcs11(Pkcs11Config newPkcs11) {
        return new CertStoreConfig(directory, keyPassword, revocation, ldap, newPkcs11);
    }

    /**
     * Whether {@link #keyPassword} names the store's own password file, {@value #KEY_PASSWORD_FILE} in the store
     * directory (as the default does), which is generated when missing; relative paths resolve against {@code base}.
     */
    public boolean generatesKeyPassword(Path base) {
        if (!keyPassword.startsWith("file:")) {
            return false;
        }
        Path store = base.resolve(directory).normalize();
        return base.resolve(keyPassword.substring("file:".length())).normalize()
                .equals(store.resolve(KEY_PASSWORD_FILE));
    }

    public enum RevocationMode {
        /** A revocation status that cannot be determined is a warning; a revoked certificate fails. */
        SOFT_FAIL,
        /** A revocation status that cannot be determined fails validation (like Exchange with CRL checks enforced). */
        HARD_FAIL,
        /** No revocation checking at all (Exchange {@code OWADisableCRLCheck}). */
        OFF
    }

    /**
     * @param mode                      SOFT_FAIL (default), HARD_FAIL or OFF
     * @param checkOnSend               Exchange {@code OWACheckCRLOnSend}: when true, a recipient certificate whose
     *                                  revocation status is unknown is refused for encryption even under SOFT_FAIL
     *                                  (default false)
     * @param fetchCrlDistributionPoints fetch CRLs from the certificates' http CRL distribution points (default true)
     * @param ocsp                      ask the OCSP responder named in authority information access (default true)
     * @param timeoutSeconds            connect and read timeout for CRL and OCSP requests (default 5)
     * @param cacheMinutes              how long fetched CRLs and OCSP answers are reused, at most until their
     *                                  nextUpdate (default 60)
     */
    public record Revocation(RevocationMode mode, Boolean checkOnSend, Boolean fetchCrlDistributionPoints,
                             Boolean ocsp, Integer timeoutSeconds, Integer cacheMinutes) {
        public Revocation {
            mode = mode == null ? RevocationMode.SOFT_FAIL : mode;
            checkOnSend = checkOnSend != null && checkOnSend;
            fetchCrlDistributionPoints = fetchCrlDistributionPoints == null || fetchCrlDistributionPoints;
            ocsp = ocsp == null || ocsp;
            timeoutSeconds = timeoutSeconds == null || timeoutSeconds <= 0 ? 5 : timeoutSeconds;
            cacheMinutes = cacheMinutes == null || cacheMinutes < 0 ? 60 : cacheMinutes;
        }

        public static Revocation defaults() {
            return new Revocation(null, null, null, null, null, null);
        }

        public Revocation withMode(RevocationMode newMode) {
            return new Revocation(newMode, checkOnSend, fetchCrlDistributionPoints, ocsp, timeoutSeconds, cacheMinutes);
        }
    }
}
