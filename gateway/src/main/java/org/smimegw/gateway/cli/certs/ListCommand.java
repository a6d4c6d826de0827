package org.smimegw.gateway.cli.certs;

import org.smimegw.certstore.Certificates;
import java.security.cert.X509CRL;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.smimegw.certstore.file.StoredCertificate;
import org.smimegw.certstore.file.StoredCertificate.Kind;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the certificates in the store (default: all; --trust: roots, intermediates and CRLs; "
                + "--users: users' certificates, keys and harvested certificates).")
final class ListCommand extends StoreCommand {

    static final class Filter {
        @Option(names = "--trust", description = "only the trust collection") boolean trust;
        @Option(names = "--users", description = "only users' certificates and keys") boolean users;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Filter filter;

    @Override
    int execute() throws Exception {
        boolean trust = filter == null || filter.trust;
        boolean users = filter == null || filter.users;
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (trust) {
            kinds.addAll(List.of(Kind.ROOT, Kind.INTERMEDIATE));
        }
        if (users) {
            kinds.addAll(List.of(Kind.USER, Kind.USER_KEY, Kind.HARVESTED));
        }
        Table t = new Table("KIND", "SUBJECT", "ADDRESSES", "SERIAL", "VALID TO", "SHA-256");
        int n = 0;
        for (StoredCertificate c : store().list()) {
            if (kinds.contains(c.kind())) {
                t.row(label(c.kind()), Certificates.subject(c.certificate()),
                        String.join(",", c.addresses()), c.certificate().getSerialNumber().toString(16),
                        DATE.format(c.certificate().getNotAfter().toInstant()), c.fingerprint());
                n++;
            }
        }
        if (n > 0) {
            t.print(out());
        }
        out().printf("%d certificate(s)%n", n);
        if (trust) {
            List<X509CRL> crls = store().trust().crls();
            if (!crls.isEmpty()) {
                out().println();
                Table ct = new Table("CRL ISSUER", "THIS UPDATE", "NEXT UPDATE", "REVOKED ENTRIES");
                for (X509CRL crl : crls) {
                    ct.row(Certificates.name(crl.getIssuerX500Principal()), DATE.format(crl.getThisUpdate().toInstant()),
                            crl.getNextUpdate() == null ? "-" : DATE.format(crl.getNextUpdate().toInstant()),
                            crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
                }
                ct.print(out());
            }
            out().printf("%d CRL(s)%n", crls.size());
        }
        out().flush();
        return OK;
    }

    static String label(Kind kind) {
        return kind.label();
    }
}
