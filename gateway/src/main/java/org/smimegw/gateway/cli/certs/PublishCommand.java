package org.smimegw.gateway.cli.certs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ldap.LdapCertificatePublisher;
import org.smimegw.certstore.ldap.LdapConfig;
import org.smimegw.certstore.ldap.Publication;
import org.smimegw.certstore.ldap.PublicationException;
import org.smimegw.gateway.app.CertificateServices;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code certs publish [ADDRESS...] [--dry-run]}: writes internal users' current certificates (the newest valid one
 * that decrypts, and the signing one when it differs) to their entries in the directory of {@code certstore.ldap}
 * ({@link LdapCertificatePublisher}), replacing expired ones. Without addresses: every user whose key the gateway holds
 * (file store and token). One line per change, {@code up to date} when nothing changes; exit 1 when any address
 * failed (no or several entries, no current key, directory unavailable), the others are still published.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish internal users' current certificates to their directory entries (userCertificate;binary "
                + "and userSMIMECertificate of the entry certstore.ldap.filter finds), replacing expired ones.")
final class PublishCommand extends StoreCommand {

    @Parameters(paramLabel = "ADDRESS", arity = "0..*",
            description = "Users to publish (default: every user whose key the gateway holds).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--dry-run", description = "Show what would change; write nothing.")
    boolean dryRun;

    @Override
    int execute() throws Exception {
        LdapConfig ldap = storeConfig().ldap();
        if (ldap == null) {
            throw new CliError("no directory: certstore.ldap is not configured"
                    + config.file().map(f -> " in " + f).orElse(""));
        }
        CertificateServices services = services();
        List<String> targets = addresses.isEmpty() ? keyHolders(services) : addresses;
        if (targets.isEmpty()) {
            out().println("no users with keys in the certificate store: nothing to publish");
            return OK;
        }
        Instant now = parent.clock().instant();
        int changed = 0;
        int current = 0;
        int failed = 0;
        try (LdapCertificatePublisher publisher = new LdapCertificatePublisher(ldap,
                new SecretReferences(parent.environment()), parent.clock())) {
            for (String address : targets) {
                List<UserKey> keys = currentKeys(services.store(), address, now);
                if (keys.isEmpty()) {
                    failed++;
                    err().println("certs publish: error: " + address + ": the gateway holds no currently valid key "
                            + "and certificate for this address");
                    continue;
                }
                try {
                    Publication p = publisher.plan(address, keys);
                    if (p.upToDate()) {
                        current++;
                        out().println(address + ": " + p.entryDn() + ": up to date");
                        continue;
                    }
                    for (String change : p.changes()) {
                        out().println(address + ": " + p.entryDn() + ": " + (dryRun ? "would " : "") + change);
                    }
                    if (!dryRun) {
                        publisher.apply(p);
                    }
                    changed++;
                } catch (PublicationException | DirectoryUnavailableException e) {
                    failed++;
                    err().println("certs publish: error: " + address + ": " + e.getMessage());
                }
            }
            out().println((dryRun ? "dry run, nothing written: " + changed + " to change" : changed + " published")
                    + ", " + current + " up to date, " + failed + " failed (" + publisher.name() + ")");
        }
        err().flush();
        return failed == 0 ? OK : FAILURE;
    }

    /** The key of the newest valid certificate that decrypts, and the signing key when its certificate differs. */
    static List<UserKey> currentKeys(CertificateStore store, String address, Instant now) {
        List<UserKey> keys = new ArrayList<>();
        store.decryptionKeys(address).stream().filter(k -> Certificates.isValidAt(k.certificate(), now)).findFirst()
                .ifPresent(keys::add);
        store.signingKey(address)
                .filter(s -> keys.stream().noneMatch(k -> k.certificate().equals(s.certificate())))
                .ifPresent(keys::add);
        return keys;
    }

    /** Every address the file store or the token holds a key for, sorted. */
    private static List<String> keyHolders(CertificateServices services) {
        TreeSet<String> all = new TreeSet<>();
        services.keyCertificates().forEach(k -> all.add(k.address().toLowerCase(Locale.ROOT)));
        return List.copyOf(all);
    }
}
