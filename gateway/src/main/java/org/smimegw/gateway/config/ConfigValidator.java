package org.smimegw.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the values of a bound {@link GatewayConfig}: ports in range, addresses and domain names well formed,
 * files readable, network ranges valid. Returns the problems in file order of their sections (empty when fine).
 */
public class ConfigValidator {
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    public List<ConfigProblem> validate(GatewayConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        hostName(problems, "/hostname", config.hostname());
        for (int i = 0; i < config.internalDomains().size(); i++) {
            hostName(problems, "/internalDomains/" + i, config.internalDomains().get(i));
        }
        if (config.postmaster() == null || !config.postmaster().matches("[^@\\s]+@[^@\\s]+")) {
            problems.add(new ConfigProblem("/postmaster", "'" + config.postmaster() + "' is not an e-mail address"));
        }
        var smtp = config.smtp();
        address(problems, "/smtp/bind", smtp.bind());
        if (smtp.hostname() != null) {
            hostName(problems, "/smtp/hostname", smtp.hostname());
        }
        readableFile(problems, "/smtp/tls/certificate", smtp.tls().certificate());
        readableFile(problems, "/smtp/tls/privateKey", smtp.tls().privateKey());
        readableFile(problems, "/pipeline/config", config.pipeline().config());
        AdminConfig admin = config.admin();
        if (admin.ready().deliveryFailureMinutes() < 1) {
            problems.add(new ConfigProblem("/admin/ready/deliveryFailureMinutes",
                    "must be at least 1, was " + admin.ready().deliveryFailureMinutes()));
        }
        address(problems, "/admin/bind", admin.bind());
        port(problems, "/admin/port", admin.port());
        if (admin.jmxDomain().isBlank() || admin.jmxDomain().matches(".*[:=*?,\"\\s].*")) {
            problems.add(new ConfigProblem("/admin/jmxDomain",
                    "'" + admin.jmxDomain() + "' is not a valid JMX domain (no spaces or : = * ? , \")"));
        }
        EmbeddedMailboxConfig mailbox = config.embeddedMailbox();
        address(problems, "/embeddedMailbox/bind", mailbox.bind());
        port(problems, "/embeddedMailbox/smtpPort", mailbox.smtpPort());
        port(problems, "/embeddedMailbox/imapPort", mailbox.imapPort());
        if (mailbox.enabled() && mailbox.smtpPort() != 0 && mailbox.smtpPort() == mailbox.imapPort()) {
            problems.add(new ConfigProblem("/embeddedMailbox/imapPort",
                    "must differ from smtpPort (" + mailbox.smtpPort() + ")"));
        }
        if (Files.exists(config.stateDir()) && !Files.isDirectory(config.stateDir())) {
            problems.add(new ConfigProblem("/stateDir", config.stateDir() + " exists and is not a directory"));
        }
        certstore(problems, config.certstore());
        console(problems, config.console(), config.certstore());
        return problems;
    }

    /** {@code console:}: checked only when enabled (a disabled section may be a template). */
    private static void console(List<ConfigProblem> problems, ConsoleConfig console,
                                org.smimegw.certstore.CertStoreConfig certstore) {
        if (!console.enabled()) {
            return;
        }
        address(problems, "/console/bind", console.bind());
        port(problems, "/console/port", console.port());
        if ((console.tls().certificate() == null) != (console.tls().privateKey() == null)) {
            problems.add(new ConfigProblem("/console/tls", "needs both certificate and privateKey (or neither)"));
        }
        readableFile(problems, "/console/tls/certificate", console.tls().certificate());
        readableFile(problems, "/console/tls/privateKey", console.tls().privateKey());
        readableFile(problems, "/console/clientCertificateCa", console.clientCertificateCa());
        if (console.sessionTimeoutMinutes() < 1) {
            problems.add(new ConfigProblem("/console/sessionTimeoutMinutes", "must be at least 1"));
        }
        ConsoleConfig.SelfService self = console.selfService();
        if (console.admins().isEmpty() && !self.enabled()) {
            problems.add(new ConfigProblem("/console/admins",
                    "the console is enabled but has no administrator and no self-service: nobody could log in"));
        }
        accounts(problems, "/console/admins/", console.admins());
        accounts(problems, "/console/selfService/users/", self.users());
        for (int i = 0; i < self.users().size(); i++) {
            String name = self.users().get(i).name();
            if (name != null && !name.matches("[^@\\s]+@[^@\\s]+")) {
                problems.add(new ConfigProblem("/console/selfService/users/" + i + "/name",
                        "'" + name + "' is not an e-mail address (users log in with their address)"));
            }
        }
        if (self.enabled() && self.ldap() && certstore.ldap() == null) {
            problems.add(new ConfigProblem("/console/selfService/ldap",
                    "users log in against certstore.ldap, which is not configured"));
        }
    }

    private static void accounts(List<ConfigProblem> problems, String pointer,
                                 List<ConsoleConfig.Account> accounts) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < accounts.size(); i++) {
            ConsoleConfig.Account account = accounts.get(i);
            if (account.name() == null || account.name().isBlank()) {
                problems.add(new ConfigProblem(pointer + i + "/name", "is required"));
            } else if (!names.add(account.name().toLowerCase(java.util.Locale.ROOT))) {
                problems.add(new ConfigProblem(pointer + i + "/name", "'" + account.name() + "' is listed twice"));
            }
            if (!org.smimegw.gateway.smtp.PasswordHasher.isWellFormed(account.passwordHash())) {
                problems.add(new ConfigProblem(pointer + i + "/passwordHash",
                        "must be a hash printed by 'smime-gateway hash-password' (pbkdf2-sha256:...)"));
            }
        }
    }

    /** The required keys of {@code certstore.ldap} and {@code certstore.pkcs11}; the records check the rest. */
    private static void certstore(List<ConfigProblem> problems, org.smimegw.certstore.CertStoreConfig certstore) {
        var ldap = certstore.ldap();
        if (ldap != null) {
            if (ldap.urls().isEmpty()) {
                problems.add(new ConfigProblem("/certstore/ldap",
                        "urls is required: at least one ldap:// or ldaps:// URL"));
            }
            for (int i = 0; i < ldap.urls().size(); i++) {
                String url = ldap.urls().get(i);
                if (url == null || !url.trim().toLowerCase(java.util.Locale.ROOT).matches("ldaps?://[^/]+/?")) {
                    problems.add(new ConfigProblem("/certstore/ldap/urls/" + i,
                            "'" + url + "' is not an LDAP URL like ldap://host:389 or ldaps://host:636"));
                }
            }
            if (ldap.baseDn() == null || ldap.baseDn().isBlank()) {
                problems.add(new ConfigProblem("/certstore/ldap", "baseDn is required"));
            }
            secretReference(problems, "/certstore/ldap/bindPassword", ldap.bindPassword());
            secretReference(problems, "/certstore/ldap/trustStorePasswordRef", ldap.trustStorePasswordRef());
            if (ldap.bindDn() != null && ldap.bindPassword() == null) {
                problems.add(new ConfigProblem("/certstore/ldap/bindDn", "needs bindPassword (env:NAME or file:PATH)"));
            }
        }
        var pkcs11 = certstore.pkcs11();
        if (pkcs11 != null) {
            if (pkcs11.library() == null) {
                problems.add(new ConfigProblem("/certstore/pkcs11",
                        "library is required (the token vendor's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so)"));
            }
            if (pkcs11.pin() == null) {
                problems.add(new ConfigProblem("/certstore/pkcs11", "pin is required (env:NAME or file:PATH)"));
            }
            secretReference(problems, "/certstore/pkcs11/pin", pkcs11.pin());
        }
    }

    /** A password is never written in the configuration, only {@code env:NAME} or {@code file:PATH}. */
    private static void secretReference(List<ConfigProblem> problems, String pointer, String reference) {
        if (reference != null && !reference.matches("(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)")) {
            problems.add(new ConfigProblem(pointer,
                    "must be a reference env:NAME or file:PATH, not a password"));
        }
    }

    /** A TCP port: 0 (pick a free one) to 65535. */
    public static void port(List<ConfigProblem> problems, String pointer, int port) {
        if (port < 0 || port > 65535) {
            problems.add(new ConfigProblem(pointer, port + " is not a port (0-65535; 0 picks a free port)"));
        }
    }

    /** A listen address: an IPv4/IPv6 literal or a host name. */
    public static void address(List<ConfigProblem> problems, String pointer, String address) {
        if (address == null || address.isBlank() || !(isIpLiteral(address) || HOST_NAME.matcher(address).matches())) {
            problems.add(new ConfigProblem(pointer, "'" + address + "' is not an IP address or host name"));
        }
    }

    public static void hostName(List<ConfigProblem> problems, String pointer, String name) {
        if (name == null || name.isBlank() || !HOST_NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem(pointer, "'" + name + "' is not a valid host or domain name"));
        }
    }

    /** A file that must exist and be readable. */
    public static void readableFile(List<ConfigProblem> problems, String pointer, Path file) {
        if (file == null) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(pointer, "file " + file + " does not exist"));
        } else if (!Files.isReadable(file)) {
            problems.add(new ConfigProblem(pointer, "file " + file + " is not readable"));
        }
    }

    /** A network range in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}) or a single address. */
    public static void cidr(List<ConfigProblem> problems, String pointer, String cidr) {
        if (cidr == null) {
            problems.add(new ConfigProblem(pointer, "empty network range"));
            return;
        }
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        if (!isIpLiteral(address)) {
            problems.add(new ConfigProblem(pointer, "'" + cidr + "' is not a network range like 10.0.0.0/8"));
            return;
        }
        if (slash >= 0) {
            int max = address.contains(":") ? 128 : 32;
            String bits = cidr.substring(slash + 1);
            if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
                problems.add(new ConfigProblem(pointer,
                        "'" + cidr + "' has an invalid prefix length (0-" + max + ")"));
            }
        }
    }

    static boolean isIpLiteral(String text) {
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (text.contains(":") && text.matches("[0-9a-fA-F:.]+")) {
            try {
                return java.net.InetAddress.getByName(text) instanceof java.net.Inet6Address
                        || text.contains(".");
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
