package org.smimegw.certstore.ldap;

import java.io.ByteArrayInputStream;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.TrustCollection;

/**
 * Trust anchors, intermediate CAs and CRLs kept in the directory under {@code certstore.ldap.trustBaseDn}, so that one
 * import serves every gateway of a cluster. Every {@code cACertificate} value in the subtree (with or without
 * {@code ;binary}) is a CA certificate: self-issued ones become trust anchors, the others intermediates (the rule of
 * the embedded store's import); every {@code certificateRevocationList} value is a CRL, used like an imported one
 * (only when its issuer's key verifies it). Active Directory keeps exactly this under
 * {@code CN=Public Key Services,CN=Services,CN=Configuration,<forest>}: enterprise roots in
 * {@code CN=Certification Authorities}, intermediates in {@code CN=AIA}, CRLs in {@code CN=CDP}.
 * <p>
 * {@link #get()} returns the last snapshot read, the same instance while the content does not change (so the
 * validator keeps its index). {@link #start()} reads the subtree once and then every {@code trustRefreshSeconds} in the
 * background (after a failure again within 30 s); {@link #refresh()} reads it now (reload). When the directory cannot
 * be read the last snapshot stays, and is empty until the first read succeeds. A value that does not parse is logged
 * and skipped. Whoever may write to the subtree decides what the gateways trust: give the gateways' bind account read
 * access only.
 */
public final class LdapTrustSource implements Supplier<TrustCollection>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LdapTrustSource.class);
    static final String CA_CERTIFICATE = "cACertificate";
    static final String REVOCATION_LIST = "certificateRevocationList";
    private static final String[] ATTRIBUTES = {CA_CERTIFICATE, CA_CERTIFICATE + ";binary", REVOCATION_LIST,
            REVOCATION_LIST + ";binary"};
    private static final int SIZE_LIMIT = 1000;
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

    private final LdapConnections connections;
    private final DN base;
    private final Duration interval;
    private final int timeLimitSeconds;
    private volatile TrustCollection snapshot = TrustCollection.EMPTY;
    private ScheduledExecutorService timer;

    /**
     * @throws IllegalArgumentException naming the {@code certstore.ldap.*} key that is wrong (or
     *                                  {@code trustBaseDn} missing)
     */
    public LdapTrustSource(LdapConfig config, SecretReferences secrets, Clock clock) {
        this.base = LdapConnections.dn("certstore.ldap.trustBaseDn", config.trustBaseDn());
        if (base == null) {
            throw new IllegalArgumentException("certstore.ldap.trustBaseDn is not set: no trust from the directory");
        }
        this.interval = Duration.ofSeconds(config.trustRefreshSeconds());
        this.timeLimitSeconds = Math.max(1, (config.responseTimeoutMillis() + 999) / 1000);
        this.connections = new LdapConnections(config, secrets, clock, "smimegw-certstore-ldap-trust");
    }

    /** The trust collection last read from the directory (empty before the first successful read). */
    @Override
    public TrustCollection get() {
        return snapshot;
    }

    /**
     * Reads the subtree now and keeps what it holds (the snapshot instance changes only when the content did).
     * Returns a one-line summary.
     *
     * @throws DirectoryUnavailableException when the directory could not be read; the last snapshot stays
     */
    public String refresh() throws DirectoryUnavailableException {
        TrustCollection read = connections.withConnection("reading trust under " + base, this::read);
        boolean changed = !read.equals(snapshot);
        if (changed) {
            snapshot = read;
            LOG.info("trust from {} under {}: {}", connections.name(), base, describe(read));
        }
        return "directory trust " + describe(read) + (changed ? "" : " (unchanged)");
    }

    /** Reads the subtree once (an unreachable directory is logged), then keeps reading it in the background. */
    public synchronized void start() {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        boolean ok = refreshLogged();
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ldap-trust-refresh").daemon().factory());
        scheduleNext(ok);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        connections.close();
    }

    private synchronized void scheduleNext(boolean lastOk) {
        if (timer == null || timer.isShutdown()) {
            return;
        }
        Duration delay = lastOk || interval.compareTo(RETRY_AFTER_FAILURE) < 0 ? interval : RETRY_AFTER_FAILURE;
        try {
            timer.schedule(() -> scheduleNext(refreshLogged()), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private boolean refreshLogged() {
        try {
            LOG.debug("{}", refresh());
            return true;
        } catch (DirectoryUnavailableException e) {
            LOG.warn("trust from the directory not read, keeping {}: {}", describe(snapshot), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.error("trust from the directory not read, keeping {}", describe(snapshot), e);
            return false;
        }
    }

    private TrustCollection read(LDAPConnection connection) throws LDAPException {
        // with and without ;binary: directories differ in whether a filter on the type matches its options
        Filter filter = Filter.createORFilter(java.util.Arrays.stream(ATTRIBUTES).map(Filter::createPresenceFilter)
                .toList());
        SearchRequest request = new SearchRequest(base.toString(), SearchScope.SUB, filter, ATTRIBUTES);
        request.setSizeLimit(SIZE_LIMIT);
        request.setTimeLimitSeconds(timeLimitSeconds);
        Set<X509Certificate> roots = new LinkedHashSet<>();
        Set<X509Certificate> intermediates = new LinkedHashSet<>();
        Set<X509CRL> crls = new LinkedHashSet<>();
        for (SearchResultEntry entry : connection.search(request).getSearchEntries()) {
            for (Attribute attribute : entry.getAttributes()) {
                String name = attribute.getBaseName();
                for (byte[] value : attribute.getValueByteArrays()) {
                    if (name.equalsIgnoreCase(CA_CERTIFICATE)) {
                        caCertificate(entry, attribute.getName(), value, roots, intermediates);
                    } else if (name.equalsIgnoreCase(REVOCATION_LIST)) {
                        crl(entry, attribute.getName(), value, crls);
                    }
                }
            }
        }
        return new TrustCollection(sorted(roots), sorted(intermediates),
                crls.stream().sorted(Comparator.comparing(LdapTrustSource::fingerprint)).toList());
    }

    private static void caCertificate(SearchResultEntry entry, String attribute, byte[] value,
                                      Set<X509Certificate> roots, Set<X509Certificate> intermediates) {
        X509Certificate certificate;
        try {
            certificate = EntryCertificates.der(value);
        } catch (CertificateException | RuntimeException e) {
            LOG.warn("skipping a {} value of {} that is not a DER certificate: {}", attribute, entry.getDN(),
                    e.toString());
            return;
        }
        if (!Certificates.isCa(certificate)) {
            LOG.warn("skipping a {} value of {}: '{}' is not a CA certificate", attribute, entry.getDN(),
                    Certificates.subject(certificate));
        } else if (Certificates.isSelfIssued(certificate)) {
            roots.add(certificate);
        } else {
            intermediates.add(certificate);
        }
    }

    private static void crl(SearchResultEntry entry, String attribute, byte[] value, Set<X509CRL> crls) {
        try {
            crls.add((X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(value)));
        } catch (CertificateException | CRLException | RuntimeException e) {
            LOG.warn("skipping a {} value of {} that is not a DER CRL: {}", attribute, entry.getDN(), e.toString());
        }
    }

    private static List<X509Certificate> sorted(Set<X509Certificate> certificates) {
        List<X509Certificate> list = new ArrayList<>(certificates);
        list.sort(Comparator.comparing(Certificates::sha256));
        return list;
    }

    private static String fingerprint(X509CRL crl) {
        try {
            return Certificates.sha256(crl.getEncoded());
        } catch (CRLException e) {
            return "";
        }
    }

    private static String describe(TrustCollection t) {
        return t.roots().size() + " anchor(s), " + t.intermediates().size() + " intermediate(s), " + t.crls().size()
                + " CRL(s)";
    }
}
