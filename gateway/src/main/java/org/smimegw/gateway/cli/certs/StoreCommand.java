package org.smimegw.gateway.cli.certs;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.importer.ImportException;
import org.smimegw.certstore.validation.PkixCertificateValidator;
import org.smimegw.gateway.app.CertificateServices;
import org.smimegw.gateway.cli.CliException;
import org.smimegw.gateway.cli.ConfigFileOption;
import org.smimegw.gateway.cli.ExitCodes;
import org.smimegw.gateway.cli.ExistingState;
import org.smimegw.gateway.config.ConfigLoader;
import org.smimegw.gateway.config.ConfigProblem;
import org.smimegw.gateway.config.ConfigValidator;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.mailets.config.ConfigFileException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code certs} subcommand shares: {@code --config} (read by the gateway's {@link ConfigLoader}, so
 * the same keys, defaults and {@code FILE:LINE: reason} errors as {@code run}; only problems in the
 * {@code certstore:} section stop a {@code certs} command), the store, output, and one-line errors. The
 * configuration file must exist, and the store must exist unless the command {@link #createsStore() creates it}
 * ({@link ExistingState}): a command run in the wrong directory never makes an empty store there.
 */
abstract class StoreCommand implements Callable<Integer> {

    static final int OK = ExitCodes.OK;
    /** Also {@code verify}'s answer "not valid" and an import that imported nothing. */
    static final int FAILURE = ExitCodes.FAILURE;
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    CertsCommand parent;

    @Spec
    CommandSpec spec;

    /** The gateway configuration; only its {@code certstore:} section is checked and used. */
    @Mixin
    ConfigFileOption config;

    private GatewayConfig gatewayConfig;
    private FileCertificateStore store;
    private CertificateServices services;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (ConfigFileException e) {
            return fail(e.getMessage(), ExitCodes.CONFIG);
        } catch (CliError | ImportException e) {
            return fail(e.getMessage());
        } catch (CliException e) {
            fail(e.getMessage());
            return e.exitCode();
        } catch (UncheckedIOException e) {
            return fail(e.getMessage() + ": " + e.getCause().getMessage());
        } catch (Exception e) {
            return fail(e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            if (services != null) {
                services.close();
            }
        }
    }

    abstract int execute() throws Exception;

    /** True for the commands that put something into the store and so may create it (imports, demo-setup). */
    boolean createsStore() {
        return false;
    }

    int fail(String message) {
        return fail(message, FAILURE);
    }

    int fail(String message, int exitCode) {
        err().println("certs " + spec.name() + ": error: " + message.replaceAll("\\s+", " ").trim());
        err().flush();
        return exitCode;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The gateway configuration ({@link ConfigFileOption#load}: the file must exist). */
    GatewayConfig gatewayConfig() throws ConfigFileException {
        if (gatewayConfig == null) {
            gatewayConfig = config.load(new ConfigLoader(new CertstoreOnly()));
        }
        return gatewayConfig;
    }

    /** The configuration, after checking that the store exists unless this command creates it. */
    private GatewayConfig storeLocation() throws ConfigFileException, CliException {
        GatewayConfig gateway = gatewayConfig();
        if (!createsStore()) {
            ExistingState.certificateStore(gateway, config);
        }
        return gateway;
    }

    CertStoreConfig storeConfig() throws ConfigFileException {
        return gatewayConfig().certstore();
    }

    /** The embedded file store only (imports, list, remove): no directory connection, no token login. */
    FileCertificateStore store() throws ConfigFileException, CliException {
        if (services != null) {
            return services.fileStore();
        }
        if (store == null) {
            store = FileCertificateStore.fromConfig(storeConfig(), storeLocation().baseDirectory(),
                    parent.environment());
        }
        return store;
    }

    /** Everything the gateway looks certificates and keys up in: the file store, LDAP and the token, as configured. */
    CertificateServices services() throws ConfigFileException, CliException {
        if (services == null) {
            services = CertificateServices.open(storeConfig(), storeLocation().baseDirectory(), parent.environment(),
                    parent.clock());
        }
        return services;
    }

    /** The composite store the mailets use (show, verify). */
    CertificateStore lookups() throws ConfigFileException, CliException {
        return services().store();
    }

    CertificateImporter importer() throws ConfigFileException, CliException {
        return new CertificateImporter(store(), new CertificateFileParser(), parent.clock());
    }

    /** The validator the gateway uses: the trust collection of the file store and, when configured, the directory. */
    PkixCertificateValidator validator() throws ConfigFileException, CliException {
        return services().validator();
    }

    /** The certs commands need only the certstore: section to be usable; the rest is the gateway's business. */
    static final class CertstoreOnly extends ConfigValidator {
        @Override
        public java.util.List<ConfigProblem> validate(GatewayConfig gateway) {
            return super.validate(gateway).stream().filter(p -> p.pointer().startsWith("/certstore")).toList();
        }
    }

    static String type(X509Certificate c) {
        return c.getBasicConstraints() >= 0 ? "CA" : "EE";
    }

    static String type(CertificateInfo i) {
        return i.ca() ? "CA" : "EE";
    }
}
