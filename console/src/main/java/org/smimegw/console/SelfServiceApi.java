package org.smimegw.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.file.FileCertificateStore;

/**
 * The users' page: which key and certificate the gateway signs and decrypts with for the logged-in user and when they
 * expire; their certificate and the organisation's trust anchors as PEM; and, only with
 * {@code console.selfService.pkcs12Download}, their own software key as PKCS#12 under a password they choose (a token's
 * keys never leave it).
 */
final class SelfServiceApi implements Routes {
    static final int MIN_PASSWORD_LENGTH = 8;

    record Password(String password) {
    }

    private final CertificateStore lookups;
    private final FileCertificateStore store;
    private final boolean pkcs12Download;
    private final AuditLog audit;
    private final Clock clock;

    SelfServiceApi(CertificateStore lookups, FileCertificateStore store, boolean pkcs12Download, AuditLog audit,
                   Clock clock) {
        this.lookups = lookups;
        this.store = store;
        this.pkcs12Download = pkcs12Download;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/me", this::me, Role.USER);
        app.get("/api/me/certificate", this::certificate, Role.USER);
        app.get("/api/me/trust-anchors", this::trustAnchors, Role.USER);
        app.post("/api/me/pkcs12", this::pkcs12, Role.USER);
    }

    private static String address(Context ctx) {
        return Sessions.principal(ctx).orElseThrow().name();
    }

    private void me(Context ctx) {
        String address = address(ctx);
        Instant now = clock.instant();
        List<X509CRL> crls = store.trust().crls();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", address);
        UserKey signing = lookups.signingKey(address).orElse(null);
        json.put("signing", signing == null ? null : CertificatesApi.key(signing, crls, now));
        List<CertificateView> decryption = new ArrayList<>();
        for (UserKey k : lookups.decryptionKeys(address)) {
            decryption.add(CertificatesApi.key(k, crls, now));
        }
        json.put("decryption", decryption);
        json.put("trustAnchors", store.trust().roots().size());
        json.put("pkcs12Download", pkcs12Download && signing != null && signing.storage() == KeyStorage.SOFTWARE);
        ctx.json(json);
    }

    private void certificate(Context ctx) throws IOException {
        String address = address(ctx);
        UserKey key = lookups.signingKey(address)
                .or(() -> lookups.decryptionKeys(address).stream().findFirst())
                .orElseThrow(() -> new NoSuchElementException("the gateway holds no certificate for " + address));
        List<X509Certificate> chain = new ArrayList<>(List.of(key.certificate()));
        chain.addAll(key.chain().stream().filter(c -> !c.equals(key.certificate())).toList());
        download(ctx, pem(chain), "application/x-pem-file", address + ".pem");
    }

    private void trustAnchors(Context ctx) throws IOException {
        download(ctx, pem(store.trust().roots()), "application/x-pem-file", "trust-anchors.pem");
    }

    private void pkcs12(Context ctx) throws Exception {
        String address = address(ctx);
        if (!pkcs12Download) {
            throw new ApiException(403, "downloading your key is not allowed here (console.selfService.pkcs12Download)");
        }
        UserKey key = lookups.signingKey(address)
                .orElseThrow(() -> new NoSuchElementException("the gateway holds no key for " + address));
        if (key.storage() != KeyStorage.SOFTWARE) {
            throw new ApiException(403, "your key is in a hardware token and cannot leave it");
        }
        String chosen = ctx.bodyAsClass(Password.class).password();
        if (chosen == null || chosen.length() < MIN_PASSWORD_LENGTH) {
            throw ApiException.badRequest("choose a password of at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        char[] password = chosen.toCharArray();
        try {
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            List<X509Certificate> chain = new ArrayList<>(List.of(key.certificate()));
            chain.addAll(key.chain().stream().filter(c -> !c.equals(key.certificate())).toList());
            p12.setKeyEntry(address, key.privateKey(), password, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p12.store(out, password);
            audit.record(ctx, "pkcs12 download", address, "ok", "own key and certificate");
            download(ctx, out.toByteArray(), "application/x-pkcs12", address + ".p12");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the PKCS#12: " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static byte[] pem(List<X509Certificate> certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate c : certificates) {
                writer.writeObject(c);
            }
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void download(Context ctx, byte[] content, String type, String filename) {
        ctx.contentType(type);
        ctx.header("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9@._-]", "_")
                + "\"");
        ctx.result(content);
    }
}
