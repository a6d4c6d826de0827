package org.smimegw.certstore.ldap;

import org.smimegw.certstore.SecretReferences;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;


import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
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
    private final LdapConnections connections;
    private final UserFilter userFilter;
    private final List<DN> searchBases;
    private final DN baseDn;
    private final DN harvestBaseDn;
    private final AtomicBoolean missingHarvestBaseLogged = new AtomicBoolean();

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
        this.connections = new LdapConnections(config, secrets, clock, "smimegw-certstore-ldap");
        this.baseDn = LdapConnections.dn("certstore.ldap.baseDn", config.baseDn());
        if (baseDn == null) {
            throw new IllegalArgumentException("certstore.ldap.baseDn is required");
        }
        this.harvestBaseDn = LdapConnections.dn("certstore.ldap.harvestBaseDn", config.harvestBaseDn());
        List<DN> bases = new ArrayList<>();
        bases.add(baseDn);
        if (harvestBaseDn != null && !harvestBaseDn.isDescendantOf(baseDn, true)) {
            bases.add(harvestBaseDn);
        }
        this.searchBases = List.copyOf(bases);
        this.userFilter = new UserFilter(config.filter());
    }

    @Override
    public String name() {
        return connections.name();
    }

    /** Whether {@link #store} writes anywhere ({@link LdapConfig#harvestBaseDn()} is set). */
    public boolean harvestEnabled() {
        return harvestBaseDn != null;
    }

    @Override
    public List<PublishedCertificate> lookup(String address) throws DirectoryUnavailableException {
        String addr = UserFilter.checkAddress(address);
        Filter filter = userFilter.forAddress(addr);
        Map<String, PublishedCertificate> found = new LinkedHashMap<>();
        Instant now = clock.instant();
        connections.withConnection("lookup of " + addr, connection -> {
            String source = connections.scheme() + "://" + connection.getConnectedAddress() + ":" + connection.getConnectedPort();
            for (DN base : searchBases) {
                for (SearchResultEntry entry : search(connection, base, filter)) {
                    EntryCertificates.read(entry, source, now, found);
                }
            }
            return null;
        });
        List<PublishedCertificate> result = EntryCertificates.sorted(found);
        LOG.debug("{}: {} certificate(s) for {}", name(), result.size(), addr);
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
        String addr = UserFilter.checkAddress(harvested.address()).toLowerCase(Locale.ROOT);
        X509Certificate certificate = harvested.certificate();
        String fingerprint = EntryCertificates.sha256(certificate);
        byte[] der = EntryCertificates.der(certificate);
        byte[] pkcs7 = EntryCertificates.certificatesOnly(certificate, harvested.chain());
        HarvestNote note = new HarvestNote(fingerprint, harvested.seen(), harvested.capabilities());
        DN dn = new DN(new RDN("cn", addr), harvestBaseDn);
        connections.withConnection("harvest write-back for " + addr, connection -> {
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
        connections.close();
    }

    /**
     * Asks the directory for its root DSE over a pooled connection (as the pool's health check does).
     *
     * @throws DirectoryUnavailableException when no server answers (or none is tried before the retry time)
     */
    public void checkReachable() throws DirectoryUnavailableException {
        connections.withConnection("reachability check", LDAPConnection::getRootDSE);
    }

    // ---- internals ----

    private List<SearchResultEntry> search(LDAPConnection connection, DN base, Filter filter) throws LDAPException {
        SearchRequest request = new SearchRequest(base.toString(), SearchScope.SUB, filter, ATTRIBUTES);
        request.setSizeLimit(SIZE_LIMIT);
        request.setTimeLimitSeconds(Math.max(1, (config.responseTimeoutMillis() + 999) / 1000));
        try {
            SearchResult result = connection.search(request);
            return result.getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                LOG.warn("{}: more than {} entries match {} under {}; using the first ones", name(), SIZE_LIMIT,
                        filter, base);
                return e.getSearchEntries();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT && base.equals(harvestBaseDn)
                    && !base.equals(baseDn)) {
                if (missingHarvestBaseLogged.compareAndSet(false, true)) {
                    LOG.warn("{}: harvest subtree {} does not exist (yet); nothing harvested is found there",
                            name(), base);
                }
                return List.of();
            }
            throw e;
        }
    }

    private static String describe(X509Certificate c) {
        return "subject=" + c.getSubjectX500Principal().getName() + " serial=" + c.getSerialNumber().toString(16)
                + " sha256=" + EntryCertificates.sha256(c);
    }
}
