package org.smimegw.certstore;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of validating one certificate for a purpose at a time: every reason it failed (empty when valid),
 * warnings that do not make it invalid (e.g. {@link ValidationFailure.Reason#REVOCATION_UNKNOWN} under soft-fail),
 * and, when a path was built, the path from the certificate up to and including the trust anchor.
 */
public record ValidationResult(X509Certificate certificate, Purpose purpose, List<X509Certificate> path,
                               List<ValidationFailure> failures, List<ValidationFailure> warnings) {
    public ValidationResult {
        path = List.copyOf(path);
        failures = List.copyOf(failures);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without warnings. */
    public ValidationResult(X509Certificate certificate, Purpose purpose, List<X509Certificate> path,
                            List<ValidationFailure> failures) {
        this(certificate, purpose, path, failures, List.of());
    }

    public boolean isValid() {
        return failures.isEmpty();
    }

    public boolean hasFailure(ValidationFailure.Reason reason) {
        return failures.stream().anyMatch(f -> f.reason() == reason);
    }

    public boolean hasWarning(ValidationFailure.Reason reason) {
        return warnings.stream().anyMatch(f -> f.reason() == reason);
    }
}
