package org.smimegw.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.sdk.LDAPConnection;

/**
 * A private OpenLDAP server (Debian's slapd) on 127.0.0.1: its own slapd.conf (core, cosine and inetorgperson
 * schema, an mdb database for {@value #BASE}) and data directory under the test's folder, run in the foreground.
 */
final class Slapd implements AutoCloseable {
    static final String BASE = "dc=example,dc=com";
    static final String ADMIN_DN = "cn=admin," + BASE;
    static final String ADMIN_PASSWORD = "cluster-test-secret";

    private final ExternalProcess process;
    private final int port;

    private Slapd(ExternalProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static Slapd start(Path dir) throws Exception {
        Path slapd = ExternalProcess.require("slapd", "slapd ldap-utils");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path conf = Files.writeString(dir.resolve("slapd.conf"), """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/inetorgperson.schema
                modulepath /usr/lib/ldap
                moduleload back_mdb
                pidfile %s
                database mdb
                maxsize 104857600
                suffix "%s"
                rootdn "%s"
                rootpw %s
                directory %s
                index objectClass eq
                index mail eq
                """.formatted(dir.resolve("slapd.pid"), BASE, ADMIN_DN, ADMIN_PASSWORD, data));
        int port = ExternalProcess.freePort();
        ExternalProcess p = new ExternalProcess("slapd", List.of(slapd.toString(), "-f", conf.toString(), "-h",
                "ldap://127.0.0.1:" + port + "/", "-d", "0"), dir.resolve("slapd.log"), Map.of()).start();
        p.awaitPort(port, Duration.ofSeconds(30));
        return new Slapd(p, port);
    }

    String url() {
        return "ldap://127.0.0.1:" + port;
    }

    /** A connection bound as the directory's administrator. */
    LDAPConnection connect() throws Exception {
        return new LDAPConnection("127.0.0.1", port, ADMIN_DN, ADMIN_PASSWORD);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
