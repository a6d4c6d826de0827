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
                String result = imported.containsKey(i.sha256()) ? "imported" : r != null ? "REFUSED" : "kept";
                t.row(result, StoreCommand.type(i), i.subject(), i.issuer(), i.serial(),
                        StoreCommand.DATE.format(i.notBefore()), StoreCommand.DATE.format(i.notAfter()), i.sha256(),
                        r == null ? (result.equals("kept") ? "chain of an imported certificate" : "")
                                : r.reason().text() + (r.detail() == null ? "" : " (" + r.detail() + ")"));
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
