package org.smimegw.console;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.ldap.LdapUserBind;
import org.smimegw.gateway.config.ConsoleConfig;
import org.smimegw.gateway.smtp.PasswordHasher;

/**
 * Who may log in: administrators by name and password ({@code console.admins}, hashes as {@code hash-password} makes
 * them) or by a client certificate whose e-mail address or common name is an administrator's name (the TLS layer
 * already checked it against {@code console.clientCertificateCa}); users of the self-service page by address and
 * password, from {@code console.selfService.users} or by binding as them to the directory.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final ConsoleConfig config;
    private final Optional<LdapUserBind> directory;
    private final PasswordHasher hasher;
    /** Checked when the name is unknown, so an unknown name takes as long as a wrong password. */
    private final String decoy;

    public Authenticator(ConsoleConfig config, Optional<LdapUserBind> directory, PasswordHasher hasher) {
        this.config = config;
        this.directory = directory;
        this.hasher = hasher;
        this.decoy = hasher.hash("decoy".toCharArray());
    }

    /** The principal {@code name} and {@code password} log in as, or empty. */
    public Optional<Principal> password(String name, char[] password) {
        try {
            String who = name == null ? "" : name.strip();
            if (who.isEmpty() || password == null || password.length == 0) {
                return Optional.empty();
            }
            Optional<ConsoleConfig.Account> admin = find(config.admins(), who);
            if (admin.isPresent()) {
                return hasher.verify(password, admin.get().passwordHash())
                        ? Optional.of(new Principal(admin.get().name(), Role.ADMIN, "password")) : Optional.empty();
            }
            ConsoleConfig.SelfService self = config.selfService();
            if (self.enabled()) {
                Optional<ConsoleConfig.Account> user = find(self.users(), who);
                if (user.isPresent()) {
                    return hasher.verify(password, user.get().passwordHash())
                            ? Optional.of(new Principal(user.get().name().toLowerCase(Locale.ROOT), Role.USER,
                            "password")) : Optional.empty();
                }
                if (directory.isPresent() && who.contains("@")) {
                    return directory.get().authenticate(who, password)
                            .map(dn -> new Principal(who.toLowerCase(Locale.ROOT), Role.USER, "ldap"));
                }
            }
            hasher.verify(password, decoy);
            return Optional.empty();
        } catch (DirectoryUnavailableException e) {
            LOG.warn("console login of {} against the directory failed: {}", name, e.getMessage());
            throw new ApiException(503, "the directory cannot be reached; try again later");
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * The administrator a client certificate (already verified against {@code console.clientCertificateCa} by TLS)
     * names: its e-mail address or its common name must be an administrator's name.
     */
    public Optional<Principal> certificate(X509Certificate certificate) {
        if (config.clientCertificateCa() == null || certificate == null) {
            return Optional.empty();
        }
        for (String name : names(certificate)) {
            Optional<ConsoleConfig.Account> admin = find(config.admins(), name);
            if (admin.isPresent()) {
                return Optional.of(new Principal(admin.get().name(), Role.ADMIN, "certificate"));
            }
        }
        return Optional.empty();
    }

    /** Whether client certificates can log administrators in. */
    public boolean certificatesAccepted() {
        return config.clientCertificateCa() != null;
    }

    private static List<String> names(X509Certificate certificate) {
        List<String> names = new java.util.ArrayList<>(Certificates.emailAddresses(certificate));
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            names.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return names;
    }

    private static Optional<ConsoleConfig.Account> find(List<ConsoleConfig.Account> accounts, String name) {
        return accounts.stream().filter(a -> a.name() != null && a.name().equalsIgnoreCase(name)).findFirst();
    }

}
