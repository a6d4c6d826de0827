package org.smimegw.certstore.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertStoreConfig.RevocationMode;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.TrustCollection;
import org.smimegw.certstore.ValidationFailure.Reason;
import org.smimegw.certstore.ValidationResult;
import org.smimegw.certstore.testing.MutableClock;
import org.smimegw.certstore.testing.TestPki;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** CRL distribution points and OCSP served by a JDK HttpServer on loopback, port chosen by the OS. */
class HttpRevocationTest {

    private static final TestPki PKI = TestPki.create("Http");
    private static final Instant NOW = Instant.now();

    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;
    private String base;
    private final AtomicInteger crlHits = new AtomicInteger();
    private final AtomicInteger ocspHits = new AtomicInteger();
    private final AtomicReference<X509CRL> servedCrl = new AtomicReference<>();
    private final Set<BigInteger> ocspRevoked = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);
    // the root's status for the intermediate: an empty root CRL in the trust collection
    private final TrustCollection trust = new TrustCollection(List.of(PKI.rootCertificate()),
            List.of(PKI.intermediate().certificate()), List.of());

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ca.crl", ex -> {
            crlHits.incrementAndGet();
            try {
                respond(ex, 200, servedCrl.get().getEncoded(), "application/pkix-crl");
            } catch (Exception e) {
                respond(ex, 500, new byte[0], "text/plain");
            }
        });
        server.createContext("/missing.crl", ex -> respond(ex, 404, new byte[0], "text/plain"));
        server.createContext("/slow.crl", ex -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 500, new byte[0], "text/plain");
        });
        server.createContext("/ocsp", ex -> {
            ocspHits.incrementAndGet();
            try {
                respond(ex, 200, ocspAnswer(ex.getRequestBody().readAllBytes()), "application/ocsp-response");
            } catch (Exception e) {
                respond(ex, 500, new byte[0], "text/plain");
            }
        });
        executor = java.util.concurrent.Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
        base = "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private static void respond(HttpExchange ex, int status, byte[] body, String type) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private byte[] ocspAnswer(byte[] request) throws Exception {
        OCSPReq req = new OCSPReq(request);
        var digest = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        BasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(PKI.intermediate().certificate().getPublicKey(),
                digest);
        for (Req r : req.getRequestList()) {
            CertificateID id = r.getCertID();
            CertificateStatus status = ocspRevoked.contains(id.getSerialNumber())
                    ? new RevokedStatus(Date.from(NOW.minus(Duration.ofHours(2))), CRLReason.keyCompromise)
                    : CertificateStatus.GOOD;
            builder.addResponse(id, status, Date.from(NOW), Date.from(NOW.plus(Duration.ofDays(1))), null);
        }
        BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withRSA")
                .build(PKI.intermediate().privateKey()), new X509CertificateHolder[0], Date.from(NOW));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private PkixCertificateValidator validator(RevocationMode mode, boolean crls, boolean ocsp, MutableClock clock) {
        return new PkixCertificateValidator(() -> trustWithRootCrl(),
                new CertStoreConfig.Revocation(mode, false, crls, ocsp, 1, 60), clock);
    }

    private TrustCollection cached;

    private TrustCollection trustWithRootCrl() {
        if (cached == null) {
            cached = new TrustCollection(trust.roots(), trust.intermediates(), List.of(RootCrl.emptyFrom(PKI, NOW)));
        }
        return cached;
    }

    @Test
    void crlFromTheDistributionPointIsFetchedOnceAndCached() {
        TestPki.Issued good = PKI.user("g@example.com").crlDistributionPoint(base + "/ca.crl").issue();
        TestPki.Issued bad = PKI.user("b@example.com").crlDistributionPoint(base + "/ca.crl").issue();
        servedCrl.set(PKI.crl(NOW.plus(Duration.ofDays(7)), bad.certificate()));
        MutableClock clock = new MutableClock(NOW);
        PkixCertificateValidator v = validator(RevocationMode.HARD_FAIL, true, false, clock);

        ValidationResult ok = v.validate(good.certificate(), List.of(), Purpose.ENCRYPT, "g@example.com", NOW);
        assertThat(ok.failures()).isEmpty();
        assertThat(ok.warnings()).isEmpty();
        ValidationResult revoked = v.validate(bad.certificate(), List.of(), Purpose.ENCRYPT, "b@example.com", NOW);
        assertThat(revoked.failures()).extracting(f -> f.reason()).containsExactly(Reason.REVOKED);
        assertThat(crlHits).hasValue(1);

        clock.advance(Duration.ofMinutes(61));  // past cacheMinutes: fetched again
        v.validate(good.certificate(), List.of(), Purpose.ENCRYPT, "g@example.com", NOW);
        assertThat(crlHits).hasValue(2);
    }

    @Test
    void unreachableOrFailingDistributionPointIsUnknownSoftOrHard() {
        TestPki.Issued missing = PKI.user("m@example.com").crlDistributionPoint(base + "/missing.crl").issue();
        ValidationResult soft = validator(RevocationMode.SOFT_FAIL, true, false, new MutableClock(NOW))
                .validate(missing.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(soft.isValid()).isTrue();
        assertThat(soft.warnings()).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo(Reason.REVOCATION_UNKNOWN);
            assertThat(w.detail()).contains("HTTP 404");
        });
        ValidationResult hard = validator(RevocationMode.HARD_FAIL, true, false, new MutableClock(NOW))
                .validate(missing.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(hard.failures()).extracting(f -> f.reason()).containsExactly(Reason.REVOCATION_UNKNOWN);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAsUnknown() {
        TestPki.Issued slow = PKI.user("s@example.com").crlDistributionPoint(base + "/slow.crl").issue();
        ValidationResult r = validator(RevocationMode.HARD_FAIL, true, false, new MutableClock(NOW))
                .validate(slow.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(r.failures()).extracting(f -> f.reason()).containsExactly(Reason.REVOCATION_UNKNOWN);
    }

    @Test
    void ocspFromAuthorityInformationAccess() {
        TestPki.Issued good = PKI.user("og@example.com").ocspResponder(base + "/ocsp").issue();
        TestPki.Issued bad = PKI.user("ob@example.com").ocspResponder(base + "/ocsp").issue();
        ocspRevoked.add(bad.certificate().getSerialNumber());
        PkixCertificateValidator v = validator(RevocationMode.HARD_FAIL, true, true, new MutableClock(NOW));
        ValidationResult ok = v.validate(good.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(ok.failures()).isEmpty();
        assertThat(ok.warnings()).isEmpty();
        assertThat(v.validate(bad.certificate(), List.of(), Purpose.SIGN, null, NOW).failures())
                .extracting(f -> f.reason()).containsExactly(Reason.REVOKED);
        v.validate(good.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(ocspHits).hasValue(2);  // the third answer came from the cache
    }

    @Test
    void ocspDisabledByConfigIsNotAsked() {
        TestPki.Issued good = PKI.user("od@example.com").ocspResponder(base + "/ocsp").issue();
        ValidationResult r = validator(RevocationMode.SOFT_FAIL, true, false, new MutableClock(NOW))
                .validate(good.certificate(), List.of(), Purpose.SIGN, null, NOW);
        assertThat(r.hasWarning(Reason.REVOCATION_UNKNOWN)).isTrue();
        assertThat(ocspHits).hasValue(0);
    }

    @Test
    void aResponderThatRefusesTheConnectionIsNamedWithAReasonAPersonUnderstands() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();  // nothing listens there once the socket is closed
        }
        String ocsp = "http://127.0.0.1:" + closed + "/";
        String crl = "http://127.0.0.1:" + closed + "/ca.crl";
        TestPki.Issued cert = PKI.user("refused@example.com").ocspResponder(ocsp).crlDistributionPoint(crl).issue();

        ValidationResult r = validator(RevocationMode.SOFT_FAIL, true, true, new MutableClock(NOW))
                .validate(cert.certificate(), List.of(), Purpose.SIGN, null, NOW);

        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.reason()).isEqualTo(Reason.REVOCATION_UNKNOWN);
            assertThat(w.detail()).contains("OCSP responder " + ocsp + " refused the connection")
                    .contains("CRL distribution point " + crl + " refused the connection")
                    .doesNotContain("null");
        });
    }
}
