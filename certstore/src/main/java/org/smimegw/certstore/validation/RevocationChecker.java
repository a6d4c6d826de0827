package org.smimegw.certstore.validation;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.Certificates;

/**
 * Finds out whether a certificate was revoked at a time: CRLs from the trust collection, then CRLs fetched from the
 * certificate's http distribution points, then the OCSP responder named in its authority information access.
 * Fetched CRLs and OCSP answers are cached for {@code cacheMinutes}, at most until their nextUpdate.
 * Safe for concurrent use.
 */
final class RevocationChecker {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationChecker.class);

    private record Cached<T>(T value, Instant expires) {
    }

    private final CertStoreConfig.Revocation config;
    private final HttpFetcher http;
    private final Clock clock;
    private final Map<URI, Cached<X509CRL>> crlCache = new ConcurrentHashMap<>();
    private final Map<String, Cached<RevocationStatus>> ocspCache = new ConcurrentHashMap<>();

    RevocationChecker(CertStoreConfig.Revocation config, HttpFetcher http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    RevocationStatus check(X509Certificate cert, X509Certificate issuer, Instant at, TrustIndex trust) {
        List<String> tried = new ArrayList<>();
        RevocationStatus fromStore = checkCrls(cert, issuer, at, trust.crls(issuer.getSubjectX500Principal()),
                trust, "store CRL");
        if (fromStore != null) {
            return fromStore;
        }
        if (config.fetchCrlDistributionPoints()) {
            for (URI uri : crlDistributionPoints(cert)) {
                try {
                    X509CRL crl = fetchCrl(uri);
                    RevocationStatus s = checkCrls(cert, issuer, at, List.of(crl), trust, "CRL " + uri);
                    if (s != null) {
                        return s;
                    }
                    tried.add("CRL distribution point " + uri + " served a CRL not signed by the issuer or not current");
                } catch (IOException | RuntimeException e) {
                    tried.add("CRL distribution point " + uri + " " + HttpFetcher.describe(e));
                }
            }
        }
        if (config.ocsp()) {
            for (URI uri : ocspResponders(cert)) {
                try {
                    RevocationStatus s = ocsp(uri, cert, issuer, at);
                    if (s.state() != RevocationStatus.State.UNKNOWN) {
                        return s;
                    }
                    tried.add(s.detail());
                } catch (Exception e) {
                    tried.add("OCSP responder " + uri + " " + HttpFetcher.describe(e));
                }
            }
        }
        return RevocationStatus.unknown(tried.isEmpty()
                ? "no CRL in the store and no http CRL distribution point or OCSP responder for '"
                  + Certificates.subject(cert) + "'"
                : "'" + Certificates.subject(cert) + "': " + String.join("; ", tried));
    }

    /** Status from CRLs of {@code issuer}: null when none of them is signed by it and current at {@code at}. */
    private static RevocationStatus checkCrls(X509Certificate cert, X509Certificate issuer, Instant at,
                                              List<X509CRL> crls, TrustIndex trust, String source) {
        boolean current = false;
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    || !trust.crlSignedBy(crl, issuer)) {
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
            if (entry != null && !entry.getRevocationDate().toInstant().isAfter(at)) {
                return RevocationStatus.revoked("'" + Certificates.subject(cert) + "' serial "
                        + cert.getSerialNumber().toString(16) + " revoked on " + entry.getRevocationDate().toInstant()
                        + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")")
                        + " by " + source);
            }
            if (crl.getNextUpdate() == null || !crl.getNextUpdate().toInstant().isBefore(at)) {
                current = true;
            }
        }
        return current ? RevocationStatus.good(source) : null;
    }

    private X509CRL fetchCrl(URI uri) throws IOException {
        Instant now = clock.instant();
        Cached<X509CRL> cached = crlCache.get(uri);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        try {
            X509CRL crl = new JcaX509CRLConverter().getCRL(new X509CRLHolder(http.get(uri)));
            crlCache.put(uri, new Cached<>(crl, expiry(now, crl.getNextUpdate() == null ? null
                    : crl.getNextUpdate().toInstant())));
            LOG.debug("fetched CRL from {}", uri);
            return crl;
        } catch (java.security.cert.CRLException e) {
            throw new IOException("not a CRL: " + e.getMessage(), e);
        }
    }

    private Instant expiry(Instant now, Instant nextUpdate) {
        Instant max = now.plus(Duration.ofMinutes(config.cacheMinutes()));
        return nextUpdate != null && nextUpdate.isBefore(max) ? nextUpdate : max;
    }

    private RevocationStatus ocsp(URI uri, X509Certificate cert, X509Certificate issuer, Instant at) throws Exception {
        String key = Certificates.sha256(issuer) + ":" + cert.getSerialNumber().toString(16);
        Instant now = clock.instant();
        Cached<RevocationStatus> cached = ocspCache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.value();
        }
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        CertificateID id = new JcaCertificateID(digests.get(CertificateID.HASH_SHA1), issuer, cert.getSerialNumber());
        OCSPReq request = new OCSPReqBuilder().addRequest(id).build();
        OCSPResp response = new OCSPResp(http.post(uri, request.getEncoded(), "application/ocsp-request"));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            return RevocationStatus.unknown("OCSP responder " + uri + " answered status " + response.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        if (!signedByIssuerOrDelegate(basic, issuer)) {
            return RevocationStatus.unknown("OCSP responder " + uri + " sent an answer not signed by the issuer or its delegate");
        }
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            CertificateStatus status = single.getCertStatus();
            Instant next = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            RevocationStatus result;
            if (status == CertificateStatus.GOOD) {
                result = RevocationStatus.good("OCSP " + uri);
            } else if (status instanceof RevokedStatus revoked) {
                Instant when = revoked.getRevocationTime().toInstant();
                result = when.isAfter(at) ? RevocationStatus.good("OCSP " + uri + " (revoked later, on " + when + ")")
                        : RevocationStatus.revoked("'" + Certificates.subject(cert) + "' serial "
                          + cert.getSerialNumber().toString(16) + " revoked on " + when + " by OCSP " + uri);
            } else {
                result = RevocationStatus.unknown("OCSP responder " + uri + " does not know the certificate");
            }
            ocspCache.put(key, new Cached<>(result, expiry(now, next)));
            return result;
        }
        return RevocationStatus.unknown("OCSP responder " + uri + " sent an answer that does not cover the certificate");
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer) throws Exception {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return true;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = converter.getCertificate(holder);
            try {
                responder.verify(issuer.getPublicKey());
            } catch (Exception e) {
                continue;
            }
            List<String> eku = responder.getExtendedKeyUsage();
            if (eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())
                    && basic.isSignatureValid(verifiers.build(responder.getPublicKey()))) {
                return true;
            }
        }
        return false;
    }

    static List<URI> crlDistributionPoints(X509Certificate cert) {
        List<URI> uris = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return uris;
        }
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (DistributionPoint dp : points.getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
                        addHttp(uris, gn);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("unreadable CRL distribution points: {}", e.toString());
        }
        return uris;
    }

    static List<URI> ocspResponders(X509Certificate cert) {
        List<URI> uris = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return uris;
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(ext).getOctets());
            for (AccessDescription ad : aia.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(ad.getAccessMethod())) {
                    addHttp(uris, ad.getAccessLocation());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("unreadable authority information access: {}", e.toString());
        }
        return uris;
    }

    private static void addHttp(List<URI> uris, GeneralName gn) {
        if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
            String s = gn.getName().toString();
            if (s.startsWith("http://") || s.startsWith("https://")) {
                try {
                    uris.add(URI.create(s));
                } catch (IllegalArgumentException e) {
                    // ignore malformed URI
                }
            }
        }
    }
}
