package org.smimegw.certstore.ldap;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.schema.Schema;

/**
 * An in-memory directory shaped like Active Directory (users under {@code OU=Users,DC=example,DC=com} with
 * {@code mail}, multi-valued {@code proxyAddresses}, {@code userCertificate} and {@code userSMIMECertificate}),
 * listening over TCP on 127.0.0.1 with an ephemeral port. The standard schema is extended with
 * {@code proxyAddresses} (case-insensitive, like AD's Unicode string syntax) and an auxiliary class carrying it.
 */
final class AdDirectory implements AutoCloseable {

    static final String BASE = "DC=example,DC=com";
    static final String USERS = "OU=Users," + BASE;
    static final String HARVESTED = "OU=Harvested,OU=SMIME," + BASE;
    static final String SERVICE_DN = "CN=svc-smimegw,OU=Service," + BASE;
    static final String SERVICE_PASSWORD = "s3rvice-Pa55";

    enum Tls { NONE, LDAPS, START_TLS }

    private final InMemoryDirectoryServer server;
    private final String scheme;

    private AdDirectory(InMemoryDirectoryServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
    }

    static AdDirectory start() throws Exception {
        return start(Tls.NONE, null, false);
    }

    /** A directory that refuses anonymous searches, as AD does. */
    static AdDirectory startRequiringBind() throws Exception {
        return start(Tls.NONE, null, true);
    }

    /** A directory whose operations pass through {@code interceptor} (to make it slow or busy). */
    static AdDirectory start(InMemoryOperationInterceptor interceptor) throws Exception {
        return start(Tls.NONE, null, false, interceptor);
    }

    static AdDirectory start(Tls tls, SSLContext serverContext, boolean requireBind) throws Exception {
        return start(tls, serverContext, requireBind, null);
    }

    private static AdDirectory start(Tls tls, SSLContext serverContext, boolean requireBind,
                                     InMemoryOperationInterceptor interceptor) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        if (interceptor != null) {
            config.addInMemoryOperationInterceptor(interceptor);
        }
        if (requireBind) {
            config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH, OperationType.ADD,
                    OperationType.MODIFY, OperationType.COMPARE);
        }
        config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), adSchema()));
        config.addAdditionalBindCredentials(SERVICE_DN, SERVICE_PASSWORD);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InMemoryListenerConfig listener = switch (tls) {
            case NONE -> InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0, null);
            case START_TLS -> InMemoryListenerConfig.createLDAPConfig("ldap", loopback, 0,
                    serverContext.getSocketFactory());
            case LDAPS -> InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0,
                    serverContext.getServerSocketFactory(), null);
        };
        config.setListenerConfigs(listener);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add(new Entry("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example"));
        for (String ou : List.of(USERS, "OU=Service," + BASE, "OU=SMIME," + BASE, HARVESTED)) {
            String name = ou.substring(3, ou.indexOf(','));
            server.add(new Entry("dn: " + ou, "objectClass: top", "objectClass: organizationalUnit", "ou: " + name));
        }
        server.startListening();
        return new AdDirectory(server, tls == Tls.LDAPS ? "ldaps" : "ldap");
    }

    private static Schema adSchema() throws Exception {
        return new Schema(new Entry("dn: cn=schema",
                "objectClass: top", "objectClass: ldapSubentry", "objectClass: subschema", "cn: schema",
                "attributeTypes: ( 1.2.840.113556.1.2.210 NAME 'proxyAddresses' EQUALITY caseIgnoreMatch "
                        + "SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )",
                "objectClasses: ( 1.3.6.1.4.1.99999.1.1 NAME 'adMailUser' SUP top AUXILIARY "
                        + "MAY ( proxyAddresses ) )"));
    }

    int port() {
        return server.getListenPort(scheme);
    }

    String url() {
        return scheme + "://127.0.0.1:" + port();
    }

    InMemoryDirectoryServer server() {
        return server;
    }

    /** Adds an AD-style user; certificate attributes added with {@link #addValues}. */
    String addUser(String cn, String mail, String... proxyAddresses) throws Exception {
        String dn = "CN=" + cn + "," + USERS;
        List<String> lines = new ArrayList<>(List.of("dn: " + dn, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "objectClass: adMailUser",
                "cn: " + cn, "sn: " + cn));
        if (mail != null) {
            lines.add("mail: " + mail);
        }
        for (String p : proxyAddresses) {
            lines.add("proxyAddresses: " + p);
        }
        server.add(new Entry(lines.toArray(String[]::new)));
        return dn;
    }

    void addValues(String dn, String attribute, byte[]... values) throws LDAPException {
        server.modify(dn, new Modification(ModificationType.ADD, attribute, values));
    }

    static byte[] der(X509Certificate c) throws Exception {
        return c.getEncoded();
    }

    void shutDown() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
