package org.smimegw.gateway.cli.certs;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.StoredCertificate;
import org.smimegw.gateway.certs.CertificateRemoval;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove a certificate (with its key, if any) or a CRL by its SHA-256 fingerprint "
                + "(colons allowed; a unique prefix of at least 8 hex digits will do).")
final class RemoveCommand extends StoreCommand {

    @Parameters(paramLabel = "FINGERPRINT", description = "SHA-256 fingerprint as shown by certs list")
    String fingerprint;

    @Override
    int execute() throws Exception {
        FileCertificateStore.Removed removed;
        try {
            removed = new CertificateRemoval(store()).remove(fingerprint);
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new CliError(e.getMessage());
        }
        for (StoredCertificate c : removed.certificates()) {
            out().printf("removed %s %s serial %s sha256 %s%n", ListCommand.label(c.kind()),
                    Certificates.subject(c.certificate()), c.certificate().getSerialNumber().toString(16),
                    c.fingerprint());
        }
        for (String crl : removed.crls()) {
            out().printf("removed CRL sha256 %s%n", crl);
        }
        out().flush();
        return OK;
    }
}
