package org.smimegw.gateway.cli.certs;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.importer.CertificateFormat;
import org.smimegw.certstore.importer.ImportReport;

/** Prints an {@link ImportReport}: every certificate read, what happened to it and why. */
final class ImportReportPrinter {

    private ImportReportPrinter() {
    }

    static void print(ImportReport report, PrintWriter out) {
        out.printf("%s: %s, %d certificate(s) and %d CRL(s) read%n", report.file(), describe(report.format()),
                report.read().size(), report.crlsRead());
        Map<String, ImportReport.Refusal> refused = new HashMap<>();
        report.refused().forEach(r -> refused.putIfAbsent(r.certificate().sha256(), r));
        Map<String, Boolean> imported = new HashMap<>();
        report.imported().forEach(i -> imported.put(i.sha256(), true));
        if (!report.read().isEmpty()) {
            Table t = new Table("RESULT", "TYPE", "SUBJECT", "ISSUER", "SERIAL", "VALID FROM", "VALID TO", "SHA-256",
                    "REASON");
            for (CertificateInfo i : report.read()) {
                ImportReport.Refusal r = refused.get(i.sha256());
                // neither imported nor refused: a CA certificate of a key's chain, kept inside the key's file
                boolean keyImported = report.keysImported() > 0;
                String result = imported.containsKey(i.sha256()) ? "imported" : r != null ? "REFUSED"
                        : keyImported ? "kept" : "skipped";
                String reason = r != null ? r.reason().text() + (r.detail() == null ? "" : " (" + r.detail() + ")")
                        : result.equals("kept") ? "chain of an imported certificate"
                        : result.equals("skipped") ? "chain of a certificate that was not imported" : "";
                t.row(result, StoreCommand.type(i), i.subject(), i.issuer(), i.serial(),
                        StoreCommand.DATE.format(i.notBefore()), StoreCommand.DATE.format(i.notAfter()), i.sha256(),
                        reason);
            }
            t.print(out);
        }
        for (String note : report.notes()) {
            out.println("note: " + note);
        }
        out.printf("imported %d certificate(s)%s and %d CRL(s); refused %d%n", report.imported().size(),
                report.keysImported() > 0 ? " (" + report.keysImported() + " with private key)" : "",
                report.crlsImported(), report.refused().size());
        out.flush();
    }

    /**
     * Whether the import did anything or had nothing left to do: something was imported, or everything read was
     * already in the store. An import that refused every certificate (or read none) did not: its command fails.
     */
    static boolean succeeded(ImportReport report) {
        if (!report.imported().isEmpty() || report.crlsImported() > 0) {
            return true;
        }
        boolean readSomething = !report.read().isEmpty() || report.crlsRead() > 0;
        return readSomething && report.refused().stream()
                .allMatch(r -> r.reason() == ImportReport.RefusalReason.DUPLICATE);
    }

    static String describe(CertificateFormat f) {
        return switch (f) {
            case EMPTY -> "empty file";
            case PEM -> "PEM";
            case DER_CERTIFICATE -> "DER certificate";
            case DER_CRL -> "DER CRL";
            case PKCS7 -> "PKCS#7 certificate bundle";
            case PKCS12 -> "PKCS#12";
            case SST -> "Windows serialized certificate store (SST)";
        };
    }
}
