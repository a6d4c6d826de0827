package org.smimegw.gateway.cli.certs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.smimegw.certstore.importer.ImportReport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-trust", mixinStandardHelpOptions = true,
        description = "Import root and intermediate CA certificates (and CRLs) into the trust collection. "
                + "Formats by content: SST, PKCS#7 (.p7b/.p7c), PEM, DER.")
final class ImportTrustCommand extends StoreCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to import")
    List<Path> files;

    @Override
    boolean createsStore() {
        return true;
    }

    @Override
    int execute() throws Exception {
        List<Path> failed = new ArrayList<>();
        for (Path f : files) {
            ImportReport report = importer().importTrust(f);
            ImportReportPrinter.print(report, out());
            if (!ImportReportPrinter.succeeded(report)) {
                failed.add(f);
            }
        }
        return failed.isEmpty() ? OK : fail("nothing imported from " + failed.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(", ")));
    }
}
