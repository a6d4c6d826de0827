package org.smimegw.certstore.ldap;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;

import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.SecretReferences;

/**
 * Logs a user in against the directory of {@code certstore.ldap}: finds the user's entry by address with the
 * configured filter (bound as {@code bindDn}, or anonymously), then binds as that entry with the user's password, over
 * the same URLs, TLS and timeouts the certificate lookups use. An empty password is never sent (an LDAP server takes
 * it as an anonymous bind).
 */
public final class LdapUserBind {
    private final LdapConfig config;
    private final SecretReferences secrets;

    public LdapUserBind(LdapConfig config, SecretReferences secrets) {
        this.config = config;
        this.secrets = secrets;
    }

    /**
     * @return the user's DN when {@code password} is theirs; empty when {@code address} is not an address, has no
     *         single entry, or the password is wrong
     * @throws DirectoryUnavailableException when no server of {@code urls} could be asked
     */
    public Optional<String> authenticate(String address, char[] password) throws DirectoryUnavailableException {
        if (password == null || password.length == 0 || address == null || address.isBlank()) {
            return Optional.empty();
        }
        Filter search;
        try {
            search = new UserFilter(config.filter()).forAddress(address);
        } catch (IllegalArgumentException notAnAddress) {
            return Optional.empty();
        }
        try (LDAPConnection connection = connect()) {
            if (config.bindDn() != null) {
                char[] service = secrets.resolve("certstore.ldap.bindPassword", config.bindPassword());
                try {
                    connection.bind(new SimpleBindRequest(config.bindDn(),
                            new String(service).getBytes(StandardCharsets.UTF_8)));
                } finally {
                    Arrays.fill(service, '\0');
                }
            }
            SearchResult found = connection.search(config.baseDn(), SearchScope.SUB, search, "1.1");
            if (found.getEntryCount() != 1) {
                return Optional.empty();
            }
            String dn = found.getSearchEntries().get(0).getDN();
            byte[] secret = new String(password).getBytes(StandardCharsets.UTF_8);
            try {
                connection.bind(new SimpleBindRequest(dn, secret));
                return Optional.of(dn);
            } catch (LDAPException e) {
                if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
                    return Optional.empty();
                }
                throw e;
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        } catch (LDAPException e) {
            throw new DirectoryUnavailableException("LDAP " + String.join(",", config.urls()) + ": login failed: "
                    + e.getResultCode() + (e.getDiagnosticMessage() == null ? "" : " (" + e.getDiagnosticMessage() + ")"),
                    e);
        }
    }

    /** A connection to the first URL that answers (failover order), TLS as configured. */
    private LDAPConnection connect() throws LDAPException, DirectoryUnavailableException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(config.connectTimeoutMillis());
        options.setResponseTimeoutMillis(config.responseTimeoutMillis());
        if (!config.insecureTrustAll()) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        }
        LDAPException last = null;
        for (String url : config.urls()) {
            LDAPURL parsed = new LDAPURL(url.strip());
            try {
                boolean ldaps = parsed.getScheme().equalsIgnoreCase("ldaps");
                LDAPConnection connection = ldaps
                        ? new LDAPConnection(tls(), options, parsed.getHost(), parsed.getPort())
                        : new LDAPConnection(options, parsed.getHost(), parsed.getPort());
                if (!ldaps && config.startTls()) {
                    ExtendedResult started = connection.processExtendedOperation(new StartTLSExtendedRequest(tls()));
                    if (started.getResultCode() != ResultCode.SUCCESS) {
                        connection.close();
                        throw new LDAPException(started.getResultCode(), "StartTLS refused");
                    }
                }
                return connection;
            } catch (LDAPException e) {
                last = e;
            }
        }
        throw last != null ? last : new LDAPException(ResultCode.CONNECT_ERROR, "no certstore.ldap.urls");
    }

    private SSLSocketFactory tls() throws DirectoryUnavailableException {
        try {
            return new SSLUtil(LdapConnections.trustManager(config, secrets)).createSSLSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new DirectoryUnavailableException("certstore.ldap: cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
