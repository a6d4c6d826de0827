package org.smimegw.gateway.cli.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.smimegw.certstore.importer.ImportReport;
import org.smimegw.certstore.importer.WrongPasswordException;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-user", mixinStandardHelpOptions = true,
        description = {"Import users' keys and certificates.",
                "A PKCS#12 (.p12/.pfx) or PEM with a private key gives the gateway the user's key for signing and "
                        + "decryption: the certificate must carry a Subject Key Identifier. A certificate without a key "
                        + "(PEM, DER, P7B) is kept to encrypt to that address.",
                "The file's password comes from an environment variable or a file, never the command line."})
final class ImportUserCommand extends StoreCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files to import")
    List<Path> files;

    static final class PasswordSource {
        @Option(names = "--password-env", paramLabel = "VAR", description = "environment variable holding the password")
        String env;

        @Option(names = "--password-file", paramLabel = "F", description = "file whose first line is the password")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordSource password;

    @Option(names = "--require-key", description = "refuse certificates that come without their private key")
    boolean requireKey;

    @Override
    boolean createsStore() {
        return true;
    }

    @Override
    int execute() throws Exception {
        char[] pw = password();
        try {
            List<Path> failed = new ArrayList<>();
            for (Path f : files) {
                try {
                    ImportReport report = importer().importUser(f, pw, requireKey);
                    ImportReportPrinter.print(report, out());
                    if (!ImportReportPrinter.succeeded(report)) {
                        failed.add(f);
                    }
                } catch (WrongPasswordException e) {
                    return fail(f + ": " + e.getMessage());
                }
            }
            return failed.isEmpty() ? OK : fail("nothing imported from " + failed.stream().map(Path::toString)
                    .collect(java.util.stream.Collectors.joining(", ")));
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }

    private char[] password() {
        if (password == null) {
            return null;
        }
        if (password.env != null) {
            String v = parent.environment().apply(password.env);
            if (v == null) {
                throw new CliError("environment variable " + password.env + " is not set");
            }
            return v.toCharArray();
        }
        try {
            String line = Files.readString(password.file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            return line.strip().toCharArray();
        } catch (IOException e) {
            throw new CliError("cannot read password file " + password.file + ": " + e.getMessage(), e);
        }
    }
}
