package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.GetEntryLDAPConnectionPoolHealthCheck;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertificateSource;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestSink;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;

/**
 * Published certificates from an LDAP directory (Active Directory, OpenLDAP), and a shared place for harvested
 * certificates.
 * <p>
 * A lookup searches {@link LdapConfig#baseDn()} (and {@link LdapConfig#harvestBaseDn()} when it lies outside)
 * with the configured filter, every {@code {0}} replaced by the address escaped per RFC 4515, and reads
 * {@code userSMIMECertificate} and {@code userCertificate[;binary]} of every matching entry (see
 * {@link EntryCertificates}). The address is passed as given (trimmed): case-insensitive matching is the
 * directory's, which it is for {@code mail} and AD's {@code proxyAddresses}, so the default filter's
 * {@code smtp:} also matches the primary {@code SMTP:} value.
 * <p>
 * Any failure to ask the directory (connect, bind, TLS, timeout, busy, unavailable, any other LDAP error) is a
 * {@link DirectoryUnavailableException}, never an empty result. Connections come from a pool that is created on
 * first use, so the gateway starts while the directory is down.
 */
public final class LdapCertificateSource implements CertificateSource, HarvestSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LdapCertificateSource.class);
    private static final String[] ATTRIBUTES = {
            EntryCertificates.USER_SMIME_CERTIFICATE, EntryCertificates.USER_SMIME_CERTIFICATE + ";binary",
            EntryCertificates.USER_CERTIFICATE, EntryCertificates.USER_CERTIFICATE + ";binary",
            EntryCertificates.DESCRIPTION};
    private static final int SIZE_LIMIT = 100;

    private final LdapConfig config;
    private final Clock clock;
    private final String name;
    private final String scheme;
    private final List<DN> searchBases;
    private final DN baseDn;
    private final DN harvestBaseDn;
    private final FailoverServerSet serverSet;
    private final BindRequest bindRequest;
    private final AtomicBoolean missingHarvestBaseLogged = new AtomicBoolean();
    private final Object poolLock = new Object();
    private volatile LDAPConnectionPool pool;
    private volatile boolean closed;
    private volatile Instant retryAt = Instant.EPOCH;
    private volatile String lastConnectFailure = "";

    /** Reads password references from the process environment and files; the system clock dates lookups. */
    public LdapCertificateSource(LdapConfig config) {
        this(config, new SecretReferences(), Clock.systemUTC());
    }

    /**
     * Checks the configuration and resolves the password references; connects on the first lookup.
     *
     * @throws IllegalArgumentException naming the {@code certstore.ldap.*} key that is wrong and why
     */
    public LdapCertificateSource(LdapConfig config, SecretReferences secrets, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(secrets, "secrets");
        if (config.urls().isEmpty()) {
            throw new IllegalArgumentException("certstore.ldap.urls: at least one ldap:// or ldaps:// URL is needed");
        }
        this.baseDn = dn("certstore.ldap.baseDn", config.baseDn());
        if (baseDn == null) {
            throw new IllegalArgumentException("certstore.ldap.baseDn is required");
        }
        this.harvestBaseDn = dn("certstore.ldap.harvestBaseDn", config.harvestBaseDn());
        List<DN> bases = new ArrayList<>();
        bases.add(baseDn);
        if (harvestBaseDn != null && !harvestBaseDn.isDescendantOf(baseDn, true)) {
            bases.add(harvestBaseDn);
        }
        this.searchBases = List.copyOf(bases);
        checkFilter(config.filter());

        String[] hosts = new String[config.urls().size()];
        int[] ports = new int[hosts.length];
        String firstScheme = null;
        for (int i = 0; i < hosts.length; i++) {
            String url = config.urls().get(i);
            LDAPURL parsed;
            try {
                parsed = new LDAPURL(url);
            } catch (LDAPException e) {
                throw new IllegalArgumentException("certstore.ldap.urls: not an LDAP URL: " + url + " ("
                        + e.getMessage() + ")", e);
            }
            String s = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (firstScheme != null && !firstScheme.equals(s)) {
                throw new IllegalArgumentException("certstore.ldap.urls: mixes " + firstScheme + " and " + s
                        + " URLs; use one scheme for all");
            }
            firstScheme = s;
            if (!parsed.hostProvided()) {
                throw new IllegalArgumentException("certstore.ldap.urls: no host in " + url);
            }
            hosts[i] = parsed.getHost();
            ports[i] = parsed.getPort();
        }
        this.scheme = firstScheme;
        boolean ldaps = scheme.equals("ldaps");
        if (ldaps && config.startTls()) {
            throw new IllegalArgumentException("certstore.ldap.startTls: cannot be used with ldaps:// URLs");
        }
        this.name = String.join(",", config.urls());

        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(config.connectTimeoutMillis());
        options.setResponseTimeoutMillis(config.responseTimeoutMillis());
        options.setAbandonOnTimeout(true);
        options.setUseSynchronousMode(true);
        SocketFactory socketFactory = null;
        PostConnectProcessor postConnect = null;
        if (ldaps || config.startTls()) {
            SSLUtil ssl = new SSLUtil(trustManager(config, secrets));
            if (!config.insecureTrustAll()) {
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            }
            try {
                if (ldaps) {
                    socketFactory = ssl.createSSLSocketFactory();
                } else {
                    postConnect = new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory());
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certstore.ldap: cannot set up TLS: " + e.getMessage(), e);
            }
        }
        BindRequest bind = null;
        if (config.bindDn() != null) {
            dn("certstore.ldap.bindDn", config.bindDn());
            char[] password = secrets.resolve("certstore.ldap.bindPassword", config.bindPassword());
            bind = new SimpleBindRequest(config.bindDn(), new String(password).getBytes(StandardCharsets.UTF_8));
            Arrays.fill(password, '\0');
        } else if (config.bindPassword() != null) {
            throw new IllegalArgumentException("certstore.ldap.bindPassword is set but certstore.ldap.bindDn is not");
        }
        this.bindRequest = bind;
        this.serverSet = new FailoverServerSet(hosts, ports, socketFactory, options, bind, postConnect);
        // connections made to a later URL while an earlier one was down are recycled after a while, so the pool
        // returns to the first server once it is back
        serverSet.setMaxFailoverConnectionAgeMillis(15 * 60_000L);
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether {@link #store} writes anywhere ({@link LdapConfig#harvestBaseDn()} is set). */
    public boolean harvestEnabled() {
        return harvestBaseDn != null;
    }

    @Override
    public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
        String addr = checkAddress(address);
        Filter filter = filterFor(addr);
        Map<String, PublishedCertificate> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        withConnection("lookup of " + addr, connection -> {
            String source = scheme + "://" + connection.getConnectedAddress() + ":" + connection.getConnectedPort();
            for (DN base : searchBases) {
                for (SearchResultEntry entry : search(connection, base, filter)) {
                    EntryCertificates.read(entry, source, now, found);
                }
            }
            return null;
        });
        List<PublishedCertificate> result = EntryCertificates.sorted(found);
        LOG.debug("{}: {} certificate(s) for {}", name, result.size(), addr);
        return result;
    }

    /**
     * Adds the harvested certificate to {@code cn=<address>,<harvestBaseDn>} (creating the entry with
     * {@code mail}, {@code userCertificate;binary}, {@code userSMIMECertificate} holding certificate and chain, and
     * a {@link HarvestNote} in {@code description}), or updates the entry's note for that certificate.
     *
     * @throws IllegalStateException when no harvest subtree is configured
     */
    @Override
    public void store(HarvestedCertificate harvested) throws DirectoryUnavailableException {
        if (harvestBaseDn == null) {
            throw new IllegalStateException("certstore.ldap.harvestBaseDn is not set; harvest write-back is off");
        }
        String addr = checkAddress(harvested.address()).toLowerCase(Locale.ROOT);
        X509Certificate certificate = harvested.certificate();
        String fingerprint = EntryCertificates.sha256(certificate);
        byte[] der;
        byte[] pkcs7;
        try {
            der = certificate.getEncoded();
            List<X509Certificate> all = new ArrayList<>();
            all.add(certificate);
            all.addAll(harvested.chain());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(all));
            pkcs7 = generator.generate(new CMSAbsentContent()).getEncoded();
        } catch (GeneralSecurityException | CMSException | IOException e) {
            throw new IllegalArgumentException("cannot encode harvested certificate " + describe(certificate), e);
        }
        HarvestNote note = new HarvestNote(fingerprint, harvested.seen(), harvested.capabilities());
        DN dn = new DN(new RDN("cn", addr), harvestBaseDn);
        withConnection("harvest write-back for " + addr, connection -> {
            Entry existing = connection.getEntry(dn.toString(), ATTRIBUTES);
            if (existing == null) {
                Entry entry = new Entry(dn);
                entry.addAttribute("objectClass", config.harvestObjectClasses().toArray(String[]::new));
                entry.addAttribute("cn", addr);
                entry.addAttribute("sn", addr);
                entry.addAttribute("mail", addr);
                entry.addAttribute(new Attribute(EntryCertificates.USER_CERTIFICATE + ";binary", der));
                entry.addAttribute(new Attribute(EntryCertificates.USER_SMIME_CERTIFICATE, pkcs7));
                entry.addAttribute(EntryCertificates.DESCRIPTION, note.format());
                try {
                    connection.add(entry);
                    LOG.info("harvested certificate {} for {} written to {}", describe(certificate), addr, dn);
                    return null;
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                        throw e;
                    }
                    existing = connection.getEntry(dn.toString(), ATTRIBUTES);
                    if (existing == null) {
                        throw e;
                    }
                }
            }
            List<Modification> mods = updates(existing, der, pkcs7, fingerprint, note);
            if (mods.isEmpty()) {
                LOG.debug("harvested certificate {} for {} already recorded in {}", describe(certificate), addr, dn);
                return null;
            }
            connection.modify(dn.toString(), mods);
            LOG.info("harvested certificate {} for {} updated in {}", describe(certificate), addr, dn);
            return null;
        });
    }

    private static List<Modification> updates(Entry existing, byte[] der, byte[] pkcs7, String fingerprint,
                                              HarvestNote note) {
        Map<String, PublishedCertificate> present = new LinkedHashMap<>();
        EntryCertificates.read(existing, "", Instant.EPOCH, present);
        List<Modification> mods = new ArrayList<>();
        if (!present.containsKey(fingerprint)) {
            mods.add(new Modification(ModificationType.ADD, EntryCertificates.USER_CERTIFICATE + ";binary", der));
            mods.add(new Modification(ModificationType.ADD, EntryCertificates.USER_SMIME_CERTIFICATE, pkcs7));
        }
        HarvestNote newest = note;
        HarvestNote old = EntryCertificates.notes(existing).get(fingerprint);
        if (old != null) {
            Instant seen = old.seen().isAfter(note.seen()) ? old.seen() : note.seen();
            newest = new HarvestNote(fingerprint, seen, SmimeCapabilities.replaces(note.capabilities(), note.seen(),
                    old.capabilities(), old.seen()) ? note.capabilities() : old.capabilities());
            if (!old.format().equals(newest.format())) {
                for (String value : existing.getAttributeValues(EntryCertificates.DESCRIPTION)) {
                    if (HarvestNote.parse(value).map(n -> n.sha256().equals(fingerprint)).orElse(false)) {
                        mods.add(new Modification(ModificationType.DELETE, EntryCertificates.DESCRIPTION, value));
                    }
                }
            } else {
                newest = null;
            }
        }
        if (newest != null) {
            mods.add(new Modification(ModificationType.ADD, EntryCertificates.DESCRIPTION, newest.format()));
        }
        return mods;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (poolLock) {
            if (pool != null) {
                pool.close();
                pool = null;
            }
        }
    }

    // ---- internals ----

    @FunctionalInterface
    private interface LdapWork<T> {
        T run(LDAPConnection connection) throws LDAPException;
    }

    /**
     * Runs {@code work} on a pooled connection; when the connection turns out to be broken it is replaced and the
     * work retried once (e.g. the server behind it failed over). Every LDAP failure becomes
     * {@link DirectoryUnavailableException}.
     */
    private <T> T withConnection(String what, LdapWork<T> work) throws DirectoryUnavailableException {
        Instant now = clock.instant();
        if (now.isBefore(retryAt)) {
            throw new DirectoryUnavailableException(name + ": " + what + " not attempted: no server reachable ("
                    + lastConnectFailure + "); next attempt after " + retryAt);
        }
        LDAPException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            LDAPConnection connection;
            LDAPConnectionPool p;
            try {
                p = pool();
                connection = p.getConnection();
            } catch (LDAPException e) {
                if (!ResultCode.isConnectionUsable(e.getResultCode())) {
                    lastConnectFailure = String.valueOf(e.getResultCode());
                    retryAt = clock.instant().plusMillis(config.retryAfterFailureMillis());
                }
                throw unavailable(what, e);
            }
            try {
                T result = work.run(connection);
                p.releaseConnection(connection);
                return result;
            } catch (LDAPException e) {
                if (ResultCode.isConnectionUsable(e.getResultCode())) {
                    p.releaseConnection(connection);
                    throw unavailable(what, e);
                }
                p.releaseDefunctConnection(connection);
                last = e;
            } catch (RuntimeException e) {
                p.releaseDefunctConnection(connection);
                throw e;
            }
        }
        throw unavailable(what, last);
    }

    private LDAPConnectionPool pool() throws LDAPException {
        LDAPConnectionPool p = pool;
        if (p != null) {
            return p;
        }
        synchronized (poolLock) {
            if (closed) {
                throw new LDAPException(ResultCode.LOCAL_ERROR, "closed");
            }
            if (pool == null) {
                GetEntryLDAPConnectionPoolHealthCheck health = new GetEntryLDAPConnectionPoolHealthCheck(
                        "", config.responseTimeoutMillis(), false, false, false, false, true, true);
                LDAPConnectionPool created = new LDAPConnectionPool(serverSet, bindRequest, 1, config.poolSize(), 1,
                        null, true, health);
                created.setConnectionPoolName("smimegw-certstore-ldap");
                created.setHealthCheckIntervalMillis(30_000);
                pool = created;
                LOG.info("connected to LDAP directory {}", name);
            }
            return pool;
        }
    }

    private List<SearchResultEntry> search(LDAPConnection connection, DN base, Filter filter) throws LDAPException {
        SearchRequest request = new SearchRequest(base.toString(), SearchScope.SUB, filter, ATTRIBUTES);
        request.setSizeLimit(SIZE_LIMIT);
        request.setTimeLimitSeconds(Math.max(1, (config.responseTimeoutMillis() + 999) / 1000));
        try {
            SearchResult result = connection.search(request);
            return result.getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("{}: more than {} entries match {} under {}; using the first ones", name, SIZE_LIMIT,
                        filter, base);
                return e.getSearchEntries();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT && base.equals(harvestBaseDn)
                    && !base.equals(baseDn)) {
                if (missingHarvestBaseLogged.compareAndSet(false, true)) {
                    LOG.warn("{}: harvest subtree {} does not exist (yet); nothing harvested is found there",
                            name, base);
                }
                return List.of();
            }
            throw e;
        }
    }

    Filter filterFor(String address) {
        String text = config.filter().replace("{0}", Filter.encodeValue(address));
        try {
            return Filter.create(text);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("certstore.ldap.filter: not a valid filter for " + address, e);
        }
    }

    private static void checkFilter(String template) {
        if (!template.contains("{0}")) {
            throw new IllegalArgumentException("certstore.ldap.filter must contain {0} for the address: " + template);
        }
        try {
            Filter.create(template.replace("{0}", "user@example.com"));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("certstore.ldap.filter is not a valid LDAP filter: " + template
                    + " (" + e.getExceptionMessage() + ")", e);
        }
    }

    private static String checkAddress(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.trim();
        if (a.isEmpty() || a.indexOf('@') <= 0 || a.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("not an e-mail address: '" + address + "'");
        }
        return a;
    }

    private static DN dn(String key, String value) {
        if (value == null) {
            return null;
        }
        try {
            return new DN(value);
        } catch (LDAPException e) {
            throw new IllegalArgumentException(key + ": not a valid DN: " + value, e);
        }
    }

    static TrustManager trustManager(LdapConfig config, SecretReferences secrets) {
        if (config.insecureTrustAll()) {
            LOG.warn("certstore.ldap.insecureTrustAll is on: any directory server certificate is trusted");
            return new TrustAllTrustManager();
        }
        if (config.trustStore() == null) {
            return null;
        }
        File file = new File(config.trustStore());
        if (!file.canRead()) {
            throw new IllegalArgumentException("certstore.ldap.trustStore: cannot read " + file);
        }
        char[] password = config.trustStorePasswordRef() == null ? null
                : secrets.resolve("certstore.ldap.trustStorePasswordRef", config.trustStorePasswordRef());
        return new TrustStoreTrustManager(file, password, null, true);
    }

    private DirectoryUnavailableException unavailable(String what, LDAPException e) {
        String message = name + ": " + what + " failed: " + e.getResultCode()
                + (e.getDiagnosticMessage() != null ? " (" + e.getDiagnosticMessage() + ")"
                : " (" + e.getExceptionMessage() + ")");
        LOG.warn(message);
        return new DirectoryUnavailableException(message, e);
    }

    private static String describe(X509Certificate c) {
        return "subject=" + c.getSubjectX500Principal().getName() + " serial=" + c.getSerialNumber().toString(16)
                + " sha256=" + EntryCertificates.sha256(c);
    }
}
