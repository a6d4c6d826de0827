package org.smimegw.console;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import org.smimegw.certstore.Certificates;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationFailure;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.file.FileCertificateStore;
import org.smimegw.certstore.file.StoredCertificate;
import org.smimegw.certstore.importer.CertificateFileParser;
import org.smimegw.certstore.importer.CertificateImporter;
import org.smimegw.certstore.importer.ImportReport;
import org.smimegw.certstore.importer.WrongPasswordException;
import org.smimegw.gateway.app.CertificateServices;
import org.smimegw.gateway.certs.CertificateRemoval;
import org.smimegw.gateway.certs.CertificateVerification;

/**
 * Certificates, with the operations of {@code smime-gateway certs}: the embedded store's list (keys, published and
 * harvested certificates, trust anchors, CRLs), a lookup of an address in every source (file store, directory,
 * harvested, token), import by upload (the importer detects the format by content; a PKCS#12 password is used for
 * this import only, never stored), removal and verification for a purpose.
 */
final class CertificatesApi implements Routes {
    record VerifyRequest(String address, String fingerprint, String purpose, String at) {
    }

    record Verdict(CertificateView certificate, String purpose, String at, boolean valid, List<String> path,
                   List<String> failures, List<String> warnings) {
    }

    private final CertificateServices certificates;
    private final AuditLog audit;
    private final Clock clock;

    CertificatesApi(CertificateServices certificates, AuditLog audit, Clock clock) {
        this.certificates = certificates;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/certificates", this::list, Role.ADMIN);
        app.get("/api/certificates/lookup", this::lookup, Role.ADMIN);
        app.post("/api/certificates/import", this::importFile, Role.ADMIN);
        app.post("/api/certificates/verify", this::verify, Role.ADMIN);
        app.delete("/api/certificates/{fingerprint}", this::remove, Role.ADMIN);
    }

    private FileCertificateStore store() {
        return certificates.fileStore();
    }

    private void list(Context ctx) {
        Instant now = clock.instant();
        List<X509CRL> crls = store().trust().crls();
        List<CertificateView> list = new ArrayList<>();
        for (StoredCertificate c : store().list()) {
            list.add(CertificateView.of(kind(c.kind()), c.certificate(), c.addresses(),
                    c.kind() == StoredCertificate.Kind.HARVESTED ? "harvested from signed mail" : "file store", crls,
                    now));
        }
        List<Map<String, Object>> crlViews = new ArrayList<>();
        for (X509CRL crl : crls) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("issuer", Certificates.name(crl.getIssuerX500Principal()));
            view.put("thisUpdate", crl.getThisUpdate().toInstant().toString());
            view.put("nextUpdate", crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant().toString());
            view.put("revokedEntries", crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
            crlViews.add(view);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("certificates", list);
        json.put("crls", crlViews);
        json.put("directory", certificates.ldapCache().isPresent() ? "configured (look addresses up below)" : null);
        json.put("token", certificates.token().map(t -> t.name() + ": keys for " + t.addresses()).orElse(null));
        ctx.json(json);
    }

    /** Everything the gateway would use for an address, from every source. */
    private void lookup(Context ctx) throws Exception {
        String address = ctx.queryParam("address");
        if (address == null || !address.contains("@")) {
            throw ApiException.badRequest("give ?address= an e-mail address");
        }
        Instant now = clock.instant();
        List<X509CRL> crls = store().trust().crls();
        var lookups = certificates.store();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", address);
        UserKey signing = lookups.signingKey(address).orElse(null);
        json.put("signingKey", signing == null ? null : key(signing, crls, now));
        List<CertificateView> decryption = new ArrayList<>();
        for (UserKey k : lookups.decryptionKeys(address)) {
            decryption.add(key(k, crls, now));
        }
        json.put("decryptionKeys", decryption);
        List<CertificateView> published = new ArrayList<>();
        for (PublishedCertificate p : lookups.encryptionCertificates(address)) {
            published.add(CertificateView.of("published", p.certificate(), p.source(), crls, now));
        }
        json.put("published", published);
        ctx.json(json);
    }

    static CertificateView key(UserKey key, List<X509CRL> crls, Instant now) {
        return CertificateView.of(key.storage().name().toLowerCase(Locale.ROOT) + " key", key.certificate(),
                key.storage() == org.smimegw.certstore.KeyStorage.HARDWARE ? "token" : "file store", crls, now);
    }

    private void importFile(Context ctx) throws Exception {
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null) {
            throw ApiException.badRequest("no file uploaded (multipart field 'file')");
        }
        String kind = String.valueOf(ctx.formParam("kind")).toLowerCase(Locale.ROOT);
        byte[] content;
        try (InputStream in = file.content()) {
            content = in.readAllBytes();
        }
        String password = ctx.formParam("password");
        char[] secret = password == null || password.isEmpty() ? null : password.toCharArray();
        CertificateImporter importer = new CertificateImporter(store(), new CertificateFileParser(), clock);
        ImportReport report;
        try {
            report = switch (kind) {
                case "user" -> importer.importUser(file.filename(), content, secret,
                        "true".equals(ctx.formParam("requireKey")));
                case "trust" -> importer.importTrust(file.filename(), content);
                case "crl" -> importer.importCrls(file.filename(), content);
                default -> throw ApiException.badRequest("kind must be user, trust or crl, not '" + kind + "'");
            };
        } catch (WrongPasswordException e) {
            audit.record(ctx, "certificate import", file.filename(), "refused", e.getMessage());
            throw new ApiException(400, file.filename() + ": " + e.getMessage());
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
        audit.record(ctx, "certificate import (" + kind + ")", file.filename(), "ok",
                report.imported().size() + " imported (" + report.keysImported() + " with key), "
                        + report.refused().size() + " refused, " + report.crlsImported() + " CRL(s): "
                        + report.imported().stream().map(CertificateInfo::sha256).toList());
        ctx.json(report(report));
    }

    private static Map<String, Object> report(ImportReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", report.file());
        json.put("format", report.format().name());
        json.put("read", report.read().size());
        json.put("imported", report.imported().stream().map(CertificatesApi::info).toList());
        json.put("keysImported", report.keysImported());
        json.put("refused", report.refused().stream().map(r -> Map.of("certificate", info(r.certificate()),
                "reason", r.reason().text() + (r.detail() == null ? "" : " (" + r.detail() + ")"))).toList());
        json.put("crlsRead", report.crlsRead());
        json.put("crlsImported", report.crlsImported());
        json.put("notes", report.notes());
        return json;
    }

    /** An imported or refused certificate as JSON (times as ISO-8601 text). */
    private static Map<String, Object> info(CertificateInfo i) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subject", i.subject());
        json.put("issuer", i.issuer());
        json.put("serial", i.serial());
        json.put("notBefore", i.notBefore().toString());
        json.put("notAfter", i.notAfter().toString());
        json.put("fingerprint", i.sha256());
        json.put("ca", i.ca());
        return json;
    }

    private void remove(Context ctx) throws IOException {
        String fingerprint = ctx.pathParam("fingerprint");
        FileCertificateStore.Removed removed = new CertificateRemoval(store()).remove(fingerprint);
        List<String> what = new ArrayList<>();
        removed.certificates().forEach(c -> what.add(kind(c.kind()) + " " + Certificates.subject(c.certificate())
                + " sha256 " + c.fingerprint()));
        removed.crls().forEach(crl -> what.add("CRL sha256 " + crl));
        audit.record(ctx, "certificate remove", fingerprint, "ok", String.join("; ", what));
        ctx.json(Map.of("removed", what));
    }

    private void verify(Context ctx) throws Exception {
        VerifyRequest request = ctx.bodyAsClass(VerifyRequest.class);
        Purpose purpose = switch (String.valueOf(request.purpose()).toLowerCase(Locale.ROOT)) {
            case "sign" -> Purpose.SIGN;
            case "encrypt" -> Purpose.ENCRYPT;
            default -> throw ApiException.badRequest("purpose must be sign or encrypt");
        };
        Instant at;
        try {
            at = request.at() == null || request.at().isBlank() ? clock.instant() : Instant.parse(request.at());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("at must be an ISO-8601 instant like 2024-05-01T12:00:00Z");
        }
        List<ValidationResult> results = new ArrayList<>();
        if (request.fingerprint() != null && !request.fingerprint().isBlank()) {
            String fp = request.fingerprint().replace(":", "").toLowerCase(Locale.ROOT).strip();
            StoredCertificate stored = store().list().stream().filter(c -> c.fingerprint().startsWith(fp)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no certificate with fingerprint " + fp));
            results.add(certificates.validator().validate(stored.certificate(), stored.chain(), purpose,
                    request.address() == null || request.address().isBlank() ? null : request.address(), at));
        } else if (request.address() != null && request.address().contains("@")) {
            results.addAll(new CertificateVerification(certificates.store(), certificates.validator())
                    .address(request.address().strip(), purpose, at));
        } else {
            throw ApiException.badRequest("give an address or a fingerprint");
        }
        List<X509CRL> crls = store().trust().crls();
        List<Verdict> verdicts = new ArrayList<>();
        for (ValidationResult r : results) {
            verdicts.add(new Verdict(CertificateView.of("verified", r.certificate(), "", crls, at),
                    purpose.name().toLowerCase(Locale.ROOT), at.toString(), r.isValid(),
                    r.path().stream().map(Certificates::subject).toList(),
                    r.failures().stream().map(CertificatesApi::describe).toList(),
                    r.warnings().stream().map(CertificatesApi::describe).toList()));
        }
        ctx.json(verdicts);
    }

    private static String describe(ValidationFailure f) {
        return f.reason() + ": " + f.detail();
    }

    static String kind(StoredCertificate.Kind kind) {
        return kind.label();
    }
}
