package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of validating one certificate for a purpose at a time: every reason it failed (empty when valid)
 * and, when a path was built, the path from the certificate up to and including the trust anchor.
 */
public record ValidationResult(X509Certificate certificate, Purpose purpose, List<X509Certificate> path,
                               List<ValidationFailure> failures) {
    public ValidationResult {
        path = List.copyOf(path);
        failures = List.copyOf(failures);
    }

    public boolean isValid() {
        return failures.isEmpty();
    }

    public boolean hasFailure(ValidationFailure.Reason reason) {
        return failures.stream().anyMatch(f -> f.reason() == reason);
    }
}
