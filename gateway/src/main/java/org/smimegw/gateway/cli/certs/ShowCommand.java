package org.smimegw.gateway.cli.certs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.validation.PkixCertificateValidator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show what the store holds for an address: certificates to encrypt to (newest valid first), "
                + "the signing key and the decryption keys, each with its validation verdict now.")
final class ShowCommand extends StoreCommand {

    @Parameters(paramLabel = "ADDRESS", description = "e-mail address")
    String address;

    @Override
    int execute() throws Exception {
        Instant now = parent.clock().instant();
        PkixCertificateValidator validator = validator();
        List<PublishedCertificate> encryption = lookups().encryptionCertificates(address);
        Optional<UserKey> signing = lookups().signingKey(address);
        List<UserKey> decryption = lookups().decryptionKeys(address);
        out().printf("%s%n", address);
        if (encryption.isEmpty() && signing.isEmpty() && decryption.isEmpty()) {
            out().println("no certificates or keys for this address");
            out().flush();
            return OK;
        }
        Table t = new Table("USE", "SOURCE", "SUBJECT", "SERIAL", "VALID TO", "VERDICT", "SHA-256");
        for (PublishedCertificate p : encryption) {
            ValidationResult r = validator.validate(p.certificate(), p.chain(), Purpose.ENCRYPT, address, now);
            t.row("encrypt-to", p.source(), Certificates.subject(p.certificate()),
                    p.certificate().getSerialNumber().toString(16), DATE.format(p.certificate().getNotAfter().toInstant()),
                    verdict(r), Certificates.sha256(p.certificate()));
        }
        signing.ifPresent(k -> t.row("sign", "key " + k.storage().name().toLowerCase(),
                Certificates.subject(k.certificate()), k.certificate().getSerialNumber().toString(16),
                DATE.format(k.certificate().getNotAfter().toInstant()),
                verdict(validator.validate(k.certificate(), k.chain(), Purpose.SIGN, address, now)),
                Certificates.sha256(k.certificate())));
        for (UserKey k : decryption) {
            t.row("decrypt", "key " + k.storage().name().toLowerCase(),
                    Certificates.subject(k.certificate()), k.certificate().getSerialNumber().toString(16),
                    DATE.format(k.certificate().getNotAfter().toInstant()),
                    verdict(validator.validate(k.certificate(), k.chain(), Purpose.ENCRYPT, address, now)),
                    Certificates.sha256(k.certificate()));
        }
        t.print(out());
        return OK;
    }

    static String verdict(ValidationResult r) {
        if (r.isValid()) {
            return r.warnings().isEmpty() ? "valid" : "valid (warning: " + reasons(r.warnings()) + ")";
        }
        return reasons(r.failures());
    }

    private static String reasons(List<ValidationFailure> list) {
        return list.stream().map(f -> f.reason().name()).distinct().collect(Collectors.joining(","));
    }
}
