package org.smimegw.gateway.cli.certs;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.importer.ImportException;
import org.smimegw.certstore.validation.PkixCertificateValidator;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every {@code certs} subcommand shares: {@code --config}, the store, output, and one-line errors. */
abstract class StoreCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int ERROR = 1;
    static final int NOT_VALID = 3;
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    CertsCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "gateway configuration (default: ${DEFAULT-VALUE}); "
            + "only its certstore: section is read", defaultValue = "conf/gateway.yaml")
    Path config;

    private CertStoreConfig storeConfig;
    private FileCertificateStore store;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CliError e) {
            return fail(e.getMessage());
        } catch (ImportException e) {
            return fail(e.getMessage());
        } catch (UncheckedIOException e) {
            return fail(e.getMessage() + ": " + e.getCause().getMessage());
        } catch (Exception e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    abstract int execute() throws Exception;

    int fail(String message) {
        err().println("certs " + spec.name() + ": error: " + message.replaceAll("\\s+", " ").trim());
        err().flush();
        return ERROR;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CertStoreConfig storeConfig() {
        if (storeConfig == null) {
            boolean explicit = spec.commandLine().getParseResult().hasMatchedOption("--config");
            storeConfig = new StoreConfigLoader().load(config, explicit);
        }
        return storeConfig;
    }

    FileCertificateStore store() {
        if (store == null) {
            store = FileCertificateStore.fromConfig(storeConfig(), Path.of("").toAbsolutePath(), parent.environment());
        }
        return store;
    }

    CertificateImporter importer() {
        return new CertificateImporter(store(), new CertificateFileParser(), parent.clock());
    }

    PkixCertificateValidator validator() {
        FileCertificateStore s = store();
        return new PkixCertificateValidator(s::trust, storeConfig().revocation(), parent.clock());
    }

    static String type(X509Certificate c) {
        return c.getBasicConstraints() >= 0 ? "CA" : "EE";
    }

    static String type(CertificateInfo i) {
        return i.ca() ? "CA" : "EE";
    }
}
