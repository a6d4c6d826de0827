package org.smimegw.gateway.cli.certs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Pattern;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code certs demo-setup}: everything needed to watch the gateway sign and encrypt, without a real CA. Creates a
 * demo root CA, imports it as trust, gives the internal user a key and certificate (imported from a PKCS#12 file,
 * as an admin would), publishes the external user's certificate for encryption, and writes the external user's key
 * and certificate as PEM so that what arrives can be decrypted and verified with {@code openssl cms}.
 */
@Command(name = "demo-setup", mixinStandardHelpOptions = true,
        description = {"Set up a demo: a throw-away root CA (imported as trust), a key and certificate for an internal "
                + "user (signs outgoing mail), a certificate for an external user (outgoing mail to that user is "
                + "encrypted), and the external user's key and certificate as PEM files for openssl.",
                "For trying the gateway out only: the demo keys are not protected."})
final class DemoSetupCommand extends StoreCommand {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s/\\\\]+@[^@\\s/\\\\]+\\.[^@\\s/\\\\]+");

    @Option(names = "--internal", paramLabel = "ADDRESS", defaultValue = "alice@example.com",
            description = "internal user whose key signs (default: ${DEFAULT-VALUE}; its domain should be one of "
                    + "internalDomains)")
    String internal;

    @Option(names = "--external", paramLabel = "ADDRESS", defaultValue = "bob@partner.example",
            description = "external recipient whose certificate mail is encrypted to (default: ${DEFAULT-VALUE})")
    String external;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "var/demo",
            description = "where the demo CA, the internal user's PKCS#12 and the external user's PEM files are "
                    + "written (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Override
    boolean createsStore() {
        return true;
    }

    @Override
    int execute() throws Exception {
        for (String a : new String[] {internal, external}) {
            if (!ADDRESS.matcher(a).matches()) {
                throw new CliError("'" + a + "' is not an e-mail address");
            }
        }
        if (internal.equalsIgnoreCase(external)) {
            throw new CliError("--internal and --external must be different addresses");
        }
        store(); // the configuration is read (and refused) before anything is written
        Files.createDirectories(outDir);
        DemoPki pki = DemoPki.create("smime-gateway demo root CA", parent.clock());
        DemoPki.Issued in = pki.issue(internal);
        DemoPki.Issued ex = pki.issue(external);

        Path rootPem = write(outDir.resolve("demo-root-ca.pem"), pem(pki.rootCertificate()), false);
        Path rootKey = write(outDir.resolve("demo-root-ca.key.pem"), pem(new JcaPKCS8Generator(pki.rootKey(), null)),
                true);
        char[] p12Password = password();
        Path p12 = outDir.resolve(internal + ".p12");
        writePkcs12(p12, in, pki.rootCertificate(), p12Password);
        Path p12Pass = write(outDir.resolve(internal + ".p12.pass"), new String(p12Password) + "\n", true);
        Path exCert = write(outDir.resolve(external + ".cert.pem"), pem(ex.certificate()), false);
        Path exKey = write(outDir.resolve(external + ".key.pem"), pem(new JcaPKCS8Generator(ex.keyPair().getPrivate(),
                null)), true);

        out().println("1. demo root CA written to " + rootPem + " (its key: " + rootKey
                + "), imported into the trust collection:");
        ImportReportPrinter.print(importer().importTrust(rootPem), out());
        out().println();
        out().println("2. " + internal + ": key and certificate (PKCS#12 " + p12 + ", password in " + p12Pass
                + ") imported, the gateway signs mail from " + internal + ":");
        ImportReportPrinter.print(importer().importUser(p12, p12Password, true), out());
        out().println();
        out().println("3. " + external + ": certificate " + exCert + " imported, the gateway encrypts mail to "
                + external + ":");
        ImportReportPrinter.print(importer().importUser(exCert, null, false), out());
        out().println();
        out().println("4. " + external + "'s private key written to " + exKey + " (to read what arrives).");
        out().println();
        String mailbox = external;
        out().println("Try it (gateway running with the shipped conf/: bin/smime-gateway run):");
        out().println("  bin/smime-gateway send --from " + internal + " --to " + external
                + " --subject 'signed and encrypted' --body 'hello from the gateway'");
        out().println("  curl -s --user " + mailbox + ":" + mailbox + " 'imap://127.0.0.1:3143/INBOX;MAILINDEX=*' "
                + "> arrived.eml");
        out().println("  openssl cms -decrypt -in arrived.eml -recip " + exCert + " -inkey " + exKey
                + " | openssl cms -verify -CAfile " + rootPem);
        out().println("(the message is encrypted for " + external + " and, inside, signed by " + internal
                + "; openssl prints the signed text and 'CMS Verification successful')");
        out().flush();
        java.util.Arrays.fill(p12Password, '\0');
        return OK;
    }

    private static char[] password() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static void writePkcs12(Path file, DemoPki.Issued user, X509Certificate root, char[] password)
            throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("demo", user.keyPair().getPrivate(), password,
                new Certificate[] {user.certificate(), root});
        try (OutputStream out = Files.newOutputStream(file)) {
            p12.store(out, password);
        }
        restrict(file);
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static Path write(Path file, String content, boolean secret) throws IOException {
        if (secret) {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        return file;
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: left as created
        }
    }
}
