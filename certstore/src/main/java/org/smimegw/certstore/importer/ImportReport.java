package org.smimegw.certstore.importer;

import java.util.List;

import org.smimegw.certstore.CertificateInfo;

/**
 * What one import did with one file: its detected format, every certificate read, those imported, those refused
 * (with the reason), the CRLs imported, and notes (skipped property entries, unmatched keys...).
 */
public record ImportReport(String file, CertificateFormat format, List<CertificateInfo> read,
                           List<CertificateInfo> imported, List<Refusal> refused, int keysImported,
                           int crlsRead, int crlsImported, List<String> notes) {

    public ImportReport {
        read = List.copyOf(read);
        imported = List.copyOf(imported);
        refused = List.copyOf(refused);
        notes = List.copyOf(notes);
    }

    public enum RefusalReason {
        EXPIRED("expired"),
        NOT_A_CA("not a CA certificate (basicConstraints cA missing) in a trust import"),
        NO_SUBJECT_KEY_IDENTIFIER("no Subject Key Identifier extension"),
        NO_PRIVATE_KEY("no private key in the file for a certificate that needs one"),
        NO_EMAIL_ADDRESS("no e-mail address (subjectAltName rfc822Name or emailAddress) to file it under"),
        CA_IN_USER_IMPORT("a CA certificate in a user import: use import-trust"),
        DUPLICATE("already in the store");

        private final String text;

        RefusalReason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public record Refusal(CertificateInfo certificate, RefusalReason reason, String detail) {
        @Override
        public String toString() {
            return certificate + ": " + reason.text() + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    public boolean hasRefusal(RefusalReason reason) {
        return refused.stream().anyMatch(r -> r.reason() == reason);
    }
}
