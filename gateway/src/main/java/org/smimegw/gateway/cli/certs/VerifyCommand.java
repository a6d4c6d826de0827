package org.smimegw.gateway.cli.certs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.gateway.certs.CertificateVerification;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Validate a certificate against the trust collection: path, validity, key usage, extended key "
                + "usage, address, key strength, revocation. Prints every reason it fails.",
                "ADDRESS: the store's certificates for it (encrypt: every certificate to encrypt to; sign: the "
                        + "signing key's certificate). FILE: the first end-entity certificate in it (any format), "
                        + "the others serve as intermediates.",
                "Exit code 0 valid, 3 not valid, 1 error."})
final class VerifyCommand extends StoreCommand {

    @Parameters(paramLabel = "ADDRESS|FILE", description = "an e-mail address or a certificate file")
    String target;

    @Option(names = "--purpose", paramLabel = "sign|encrypt", defaultValue = "encrypt",
            description = "sign or encrypt (default: ${DEFAULT-VALUE})")
    String purpose;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "with FILE: the address the certificate must name")
    String address;

    @Option(names = "--at", paramLabel = "TIME", description = "validate at this instant (ISO-8601, e.g. 2024-05-01T12:00:00Z) instead of now")
    String at;

    @Override
    int execute() throws Exception {
        Purpose p = switch (purpose.toLowerCase(Locale.ROOT)) {
            case "sign" -> Purpose.SIGN;
            case "encrypt" -> Purpose.ENCRYPT;
            default -> throw new CliError("--purpose must be sign or encrypt, not '" + purpose + "'");
        };
        Instant when;
        try {
            when = at == null ? parent.clock().instant() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new CliError("--at must be an ISO-8601 instant like 2024-05-01T12:00:00Z, not '" + at + "'");
        }
        CertificateVerification verification = new CertificateVerification(lookups(), validator());
        Path file = Path.of(target);
        List<ValidationResult> results = new ArrayList<>();
        try {
            if (Files.isRegularFile(file)) {
                results.add(verification.file(file.toString(), Files.readAllBytes(file), p, address, when));
            } else if (target.contains("@")) {
                results.addAll(verification.address(target, p, when));
            } else {
                throw new CliError(target + " is neither a file nor an e-mail address");
            }
        } catch (java.util.NoSuchElementException e) {
            throw new CliError(e.getMessage());
        }
        boolean anyValid = false;
        for (ValidationResult r : results) {
            print(r, when);
            anyValid |= r.isValid();
        }
        out().flush();
        return anyValid ? OK : FAILURE;
    }

    private void print(ValidationResult r, Instant when) {
        X509Certificate c = r.certificate();
        out().printf("certificate: %s%n", Certificates.subject(c));
        out().printf("  issuer:    %s%n", Certificates.issuer(c));
        out().printf("  serial:    %s%n", c.getSerialNumber().toString(16));
        out().printf("  validity:  %s .. %s%n", TIME.format(c.getNotBefore().toInstant()),
                TIME.format(c.getNotAfter().toInstant()));
        out().printf("  sha256:    %s%n", Certificates.sha256(c));
        out().printf("  key:       %s%n", Certificates.keyDescription(c.getPublicKey()));
        out().printf("  purpose:   %s at %s%n", r.purpose().name().toLowerCase(Locale.ROOT), TIME.format(when));
        if (!r.path().isEmpty()) {
            out().println("  path:");
            for (int i = 0; i < r.path().size(); i++) {
                out().printf("    %d. %s%s%n", i, Certificates.subject(r.path().get(i)),
                        i == r.path().size() - 1 ? "  (trust anchor)" : "");
            }
        }
        out().printf("  result:    %s%n", r.isValid() ? "VALID" : "NOT VALID");
        for (ValidationFailure f : r.failures()) {
            out().printf("    - %s: %s%n", f.reason(), f.detail());
        }
        for (ValidationFailure f : r.warnings()) {
            out().printf("    warning %s: %s%n", f.reason(), f.detail());
        }
    }
}
