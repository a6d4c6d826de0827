package org.smimegw.certstore.ldap;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.UserKey;

/**
 * Publishes internal users' certificates on their own directory entries, as Exchange's S/MIME setup asks ("publish
 * the users' certificates to the GAL") so that other mail systems and gateways find them. The entry is the one
 * {@code certstore.ldap.filter} finds under {@code baseDn} for the address; none or several is an error for that
 * address. On it:
 * <ul>
 *   <li>{@code userCertificate;binary} gets every current certificate as DER;</li>
 *   <li>{@code userSMIMECertificate} gets, for every current certificate no value holds yet, a degenerate PKCS#7
 *       SignedData with the certificate and its chain (what the directory lookups read back);</li>
 *   <li>values whose certificates have all expired are removed, unless one is current; other values (another valid
 *       certificate, values that do not parse) stay.</li>
 * </ul>
 * {@link #plan} reads the entry and says what would change; {@link #apply} writes it. The bind account needs write
 * access to these two attributes of the users' entries.
 */
public final class LdapCertificatePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LdapCertificatePublisher.class);
    private static final String DER_ATTRIBUTE = EntryCertificates.USER_CERTIFICATE + ";binary";
    private static final String PKCS7_ATTRIBUTE = EntryCertificates.USER_SMIME_CERTIFICATE;
    private static final String[] ATTRIBUTES = {EntryCertificates.USER_CERTIFICATE, DER_ATTRIBUTE, PKCS7_ATTRIBUTE,
            PKCS7_ATTRIBUTE + ";binary"};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final LdapConfig config;
    private final Clock clock;
    private final LdapConnections connections;
    private final DN baseDn;
    private final UserFilter userFilter;

    /** @throws IllegalArgumentException naming the {@code certstore.ldap.*} key that is wrong */
    public LdapCertificatePublisher(LdapConfig config, SecretReferences secrets, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.baseDn = LdapConnections.dn("certstore.ldap.baseDn", config.baseDn());
        if (baseDn == null) {
            throw new IllegalArgumentException("certstore.ldap.baseDn is required");
        }
        this.userFilter = new UserFilter(config.filter());
        this.connections = new LdapConnections(config, secrets, clock, "smimegw-certstore-ldap-publish");
    }

    /** The directory's name (its URLs) for messages. */
    public String name() {
        return connections.name();
    }

    /**
     * What publishing {@code current} (the user's current certificates with their chains) on the entry of
     * {@code address} changes; nothing is written.
     *
     * @throws PublicationException          no entry or several entries match the address
     * @throws DirectoryUnavailableException the directory could not be asked
     */
    public Publication plan(String address, List<UserKey> current)
            throws PublicationException, DirectoryUnavailableException {
        Filter filter = userFilter.forAddress(address);
        List<SearchResultEntry> entries = connections.withConnection("entry of " + address, connection -> {
            SearchRequest request = new SearchRequest(baseDn.toString(), SearchScope.SUB, filter, ATTRIBUTES);
            request.setSizeLimit(2);
            request.setTimeLimitSeconds(Math.max(1, (config.responseTimeoutMillis() + 999) / 1000));
            try {
                return connection.search(request).getSearchEntries();
            } catch (com.unboundid.ldap.sdk.LDAPSearchException e) {
                if (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.SIZE_LIMIT_EXCEEDED) {
                    return e.getSearchEntries();
                }
                throw e;
            }
        });
        if (entries.isEmpty()) {
            throw new PublicationException("no directory entry matches " + filter + " under " + baseDn);
        }
        if (entries.size() > 1) {
            throw new PublicationException("more than one directory entry matches " + filter + " under " + baseDn
                    + " (" + entries.get(0).getDN() + ", " + entries.get(1).getDN() + ", ...)");
        }
        return plan(address, entries.get(0), current);
    }

    /** Writes what {@code publication} planned (nothing when it is up to date). */
    public void apply(Publication publication) throws DirectoryUnavailableException {
        if (publication.upToDate()) {
            return;
        }
        connections.withConnection("publishing certificates of " + publication.address(), connection ->
                connection.modify(publication.entryDn(), publication.modifications()));
        LOG.info("published certificates of {} on {}: {}", publication.address(), publication.entryDn(),
                String.join("; ", publication.changes()));
    }

    @Override
    public void close() {
        connections.close();
    }

    private Publication plan(String address, SearchResultEntry entry, List<UserKey> current) {
        Instant now = clock.instant();
        Set<X509Certificate> wanted = new LinkedHashSet<>();
        current.forEach(k -> wanted.add(k.certificate()));
        List<String> changes = new ArrayList<>();
        List<Modification> mods = new ArrayList<>();
        Set<X509Certificate> asDer = new LinkedHashSet<>();
        Set<X509Certificate> inPkcs7 = new LinkedHashSet<>();
        for (Attribute attribute : entry.getAttributes()) {
            boolean der = attribute.getBaseName().equalsIgnoreCase(EntryCertificates.USER_CERTIFICATE);
            for (byte[] value : attribute.getValueByteArrays()) {
                List<X509Certificate> held = der ? derValue(value) : EntryCertificates.endEntities(value);
                if (held.isEmpty()) {
                    continue; // not ours to judge: kept
                }
                (der ? asDer : inPkcs7).addAll(held);
                boolean stale = held.stream().noneMatch(wanted::contains)
                        && held.stream().allMatch(c -> Certificates.isExpired(c, now));
                if (stale) {
                    mods.add(new Modification(ModificationType.DELETE, attribute.getName(), value));
                    held.forEach(c -> changes.add("remove expired " + attribute.getName() + " " + describe(c)));
                }
            }
        }
        for (UserKey key : current) {
            X509Certificate c = key.certificate();
            if (!asDer.contains(c)) {
                mods.add(new Modification(ModificationType.ADD, DER_ATTRIBUTE, EntryCertificates.der(c)));
                changes.add("add " + DER_ATTRIBUTE + " " + describe(c));
            }
            if (!inPkcs7.contains(c)) {
                mods.add(new Modification(ModificationType.ADD, PKCS7_ATTRIBUTE,
                        EntryCertificates.certificatesOnly(c, key.chain())));
                changes.add("add " + PKCS7_ATTRIBUTE + " " + describe(c) + " with " + key.chain().size()
                        + " chain certificate(s)");
            }
        }
        return new Publication(address, entry.getDN(), changes, mods);
    }

    private static List<X509Certificate> derValue(byte[] value) {
        try {
            return List.of(EntryCertificates.der(value));
        } catch (CertificateException | RuntimeException e) {
            return List.of();
        }
    }

    private static String describe(X509Certificate c) {
        return "'" + Certificates.subject(c) + "' serial " + c.getSerialNumber().toString(16) + " sha256 "
                + Certificates.sha256(c).substring(0, 16) + "... (until "
                + DAY.format(c.getNotAfter().toInstant()) + ")";
    }

}
