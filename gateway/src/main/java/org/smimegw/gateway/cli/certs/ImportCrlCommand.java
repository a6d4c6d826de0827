package org.smimegw.gateway.cli.certs;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-crl", mixinStandardHelpOptions = true,
        description = "Import certificate revocation lists (DER, PEM, PKCS#7 or SST holding CRLs).")
final class ImportCrlCommand extends StoreCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CRL files")
    List<Path> files;

    @Override
    boolean createsStore() {
        return true;
    }

    @Override
    int execute() throws Exception {
        for (Path f : files) {
            ImportReportPrinter.print(importer().importCrls(f), out());
        }
        return OK;
    }
}
