package org.smimegw.gateway.cli.certs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.SecretReferences;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.ParsedFile;
import org.smimegw.certstore.pkcs11.Pkcs11Config;
import org.smimegw.certstore.pkcs11.Pkcs11KeySource;
import org.smimegw.certstore.pkcs11.TokenEnroller;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code certs enroll-token ADDRESS}: a key pair generated inside the configured PKCS#11 token (never leaves it),
 * certified by a CA whose certificate and key are given as PEM files (e.g. the demo root of {@code demo-setup}), the
 * certificate chain stored next to the key in the token. The gateway then signs and decrypts for the address with a
 * {@code HARDWARE} key.
 */
@Command(name = "enroll-token", mixinStandardHelpOptions = true,
        description = {"Generate a key pair for ADDRESS inside the PKCS#11 token of certstore.pkcs11, certify it with "
                + "the CA given by --issuer-cert and --issuer-key, and store the certificate in the token. The gateway "
                + "then signs and decrypts for ADDRESS with this hardware key.",
                "Import the CA's certificate with certs import-trust if it is not trusted yet."})
final class EnrollTokenCommand extends StoreCommand {

    @Parameters(paramLabel = "ADDRESS", description = "the internal user's e-mail address")
    String address;

    @Option(names = "--issuer-cert", required = true, paramLabel = "FILE",
            description = "the CA certificate (PEM or DER), e.g. var/demo/demo-root-ca.pem")
    Path issuerCert;

    @Option(names = "--issuer-key", required = true, paramLabel = "FILE",
            description = "the CA's private key (unencrypted PEM), e.g. var/demo/demo-root-ca.key.pem")
    Path issuerKey;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "RSA_2048",
            description = "key generated in the token: RSA_2048 (default), RSA_3072, RSA_4096, EC_P256, EC_P384")
    String keyType;

    @Override
    int execute() throws Exception {
        if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new CliError("'" + address + "' is not an e-mail address");
        }
        TokenEnroller.KeyAlgorithm algorithm;
        try {
            algorithm = TokenEnroller.KeyAlgorithm.valueOf(keyType.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new CliError("--key-type must be one of RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384, not '"
                    + keyType + "'");
        }
        Pkcs11Config tokenConfig = storeConfig().pkcs11();
        if (tokenConfig == null) {
            throw new CliError("no token configured: set certstore.pkcs11 in " + config.path());
        }
        X509Certificate issuer = readIssuer();
        DemoPki ca = DemoPki.withIssuer(issuer, readKey(), parent.clock());
        try (Pkcs11KeySource token = new Pkcs11KeySource(tokenConfig, new SecretReferences(parent.environment()),
                parent.clock())) {
            List<X509Certificate> chain = new TokenEnroller(token).enroll(address, algorithm, keyPair -> {
                try {
                    return List.of(ca.issue(address, keyPair.getPublic()), issuer);
                } catch (GeneralSecurityException e) {
                    throw new CliError("cannot issue the certificate: " + e.getMessage(), e);
                }
            });
            X509Certificate certificate = chain.get(0);
            out().printf("enrolled %s in %s: %s key generated in the token (not extractable)%n", address, token.name(),
                    algorithm);
            out().printf("  certificate: %s%n  issuer:      %s%n  serial:      %s%n  valid to:    %s%n  sha256:      %s%n",
                    Certificates.subject(certificate), Certificates.issuer(certificate),
                    certificate.getSerialNumber().toString(16), DATE.format(certificate.getNotAfter().toInstant()),
                    Certificates.sha256(certificate));
            out().printf("the gateway signs and decrypts for %s with this key (certs show %s: key hardware)%n",
                    address, address);
            out().flush();
        }
        return OK;
    }

    private X509Certificate readIssuer() throws Exception {
        ParsedFile parsed;
        try {
            parsed = new CertificateFileParser().parse(Files.readAllBytes(issuerCert), null);
        } catch (IOException e) {
            throw new CliError("cannot read " + issuerCert + ": " + e.getMessage(), e);
        }
        return parsed.certificates().stream().filter(c -> c.getBasicConstraints() >= 0).findFirst()
                .orElseThrow(() -> new CliError(issuerCert + " holds no CA certificate"));
    }

    private PrivateKey readKey() {
        try (Reader reader = Files.newBufferedReader(issuerKey, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            Object object = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new CliError(issuerKey + " holds no unencrypted private key in PEM");
        } catch (IOException e) {
            throw new CliError("cannot read " + issuerKey + ": " + e.getMessage(), e);
        }
    }
}
