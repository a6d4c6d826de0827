package org.smimegw.mailets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.HarvestedCertificate;
import org.smimegw.certstore.Certificates;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.SignerResult;
import org.smimegw.mailets.crypto.SmimeVerifier;
import org.smimegw.mailets.crypto.VerificationResult;
import org.smimegw.mailets.crypto.VerificationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.smimegw.certstore.CertificateInfo;

/**
 * Removes incoming {@code X-SMIME-*} headers, verifies the message's S/MIME signature(s) and records the verdict as
 * attributes ({@link SmimeAttributes}) and headers ({@link SmimeHeaders}). A valid, trusted signer's certificate and
 * capabilities are harvested into the store. A valid signature over content that {@code SMIMEDecrypt} decrypted from
 * EnvelopedData authenticates it ({@code decrypted-unauthenticated} becomes {@code decrypted}).
 */
public class SMIMEVerify extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(SMIMEVerify.class);
    static final Set<String> PARAMETERS = Set.of("harvest", "headers", "temporaryDirectory", "inMemoryLimit");

    private final CertificateStore store;
    private final CertificateValidator validator;
    private final MetricRegistry metrics;
    private final Clock clock;
    private SmimeVerifier verifier;
    private boolean harvest;
    private boolean headers;
    private Timer timer;

    /** Which JCA provider computes each primitive (crypto.providers in gateway.yaml). */
    private final PrimitiveProviders providers;

    @Inject
    public SMIMEVerify(CertificateStore store, CertificateValidator validator, MetricRegistry metrics, Clock clock,
                       PrimitiveProviders providers) {
        this.providers = providers;
        this.store = store;
        this.validator = validator;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        Parameters p = new Parameters(this);
        harvest = p.bool("harvest", true);
        headers = p.bool("headers", true);
        verifier = new SmimeVerifier(validator, p.files(), providers);
        timer = metrics.timer(MetricRegistry.name("smime", "verify", "time"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        SmimeHeaders.strip(mail.getMessage());
        Instant now = clock.instant();
        VerificationResult result;
        try (Timer.Context ignored = timer.time()) {
            result = verifier.verify(mail.getMessage(), now);
        }
        record(mail, result);
        authenticateDecryptedContent(mail, result);
        if (headers) {
            SmimeHeaders.write(mail);
        }
        metrics.counter("smime.verify." + result.status().value()).inc();
        if (result.status() != VerificationStatus.NOT_SIGNED) {
            LOG.info("signature {}: {}", result.status().value(), signers(result));
        }
        if (harvest && result.isValid()) {
            harvest(result, now);
        }
    }

    /**
     * Content decrypted from EnvelopedData (CBC) is authenticated once a valid signature covers it: the signature is
     * then the integrity check the encryption lacks, and the decryption verdict becomes {@code decrypted}.
     */
    private static void authenticateDecryptedContent(Mail mail, VerificationResult result) {
        boolean unauthenticated = SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION)
                .filter(DecryptionResult.Status.DECRYPTED_UNAUTHENTICATED.value()::equals).isPresent();
        if (unauthenticated && result.isValid()) {
            SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION, DecryptionResult.Status.DECRYPTED.value());
            SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION_REASON, null);
        }
    }

    private static void record(Mail mail, VerificationResult result) {
        SmimeAttributes.set(mail, SmimeAttributes.STATUS, result.status().value());
        SmimeAttributes.set(mail, SmimeAttributes.SIGNER, result.signers().isEmpty() ? null : signers(result));
        SmimeAttributes.set(mail, SmimeAttributes.REASON,
                result.isValid() || result.reasons().isEmpty() ? null : String.join("; ", result.reasons()));
        Set<String> algorithms = new LinkedHashSet<>();
        for (SignerResult s : result.signers()) {
            algorithms.add("digest=" + s.digestAlgorithm() + "; signature=" + s.signatureAlgorithm());
        }
        String decryption = SmimeAttributes.get(mail, SmimeAttributes.DECRYPTION_ALGORITHM).orElse(null);
        List<String> all = new ArrayList<>(algorithms);
        if (decryption != null) {
            all.add("encryption=" + decryption);
        }
        SmimeAttributes.set(mail, SmimeAttributes.ALGORITHMS, all.isEmpty() ? null : String.join("; ", all));
    }

    private static String signers(VerificationResult result) {
        List<String> out = new ArrayList<>();
        for (SignerResult s : result.signers()) {
            if (s.certificate() == null) {
                out.add("(certificate missing)");
            } else {
                String address = s.matchedAddress() != null ? s.matchedAddress()
                        : String.join(" ", Certificates.emailAddresses(s.certificate()));
                out.add(address + " (" + Certificates.subject(s.certificate()) + ")");
            }
        }
        return String.join(", ", out);
    }

    private void harvest(VerificationResult result, Instant now) {
        for (SignerResult s : result.signers()) {
            if (s.status() != VerificationStatus.VALID || s.certificate() == null || s.matchedAddress() == null) {
                continue;
            }
            List<java.security.cert.X509Certificate> chain = s.supplied().stream()
                    .filter(c -> !c.equals(s.certificate())).toList();
            try {
                store.harvest(new HarvestedCertificate(s.matchedAddress(), s.certificate(), chain, s.capabilities(), now));
                metrics.counter("smime.verify.harvested").inc();
            } catch (DirectoryUnavailableException | RuntimeException e) {
                LOG.warn("could not harvest {}: {}", CertificateInfo.of(s.certificate()), e.getMessage());
            }
        }
    }

    /** The init parameters this mailet accepts (the gateway's container refuses others at start). */
    public Set<String> getAllowedInitParameters() {
        return PARAMETERS;
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME signature verification";
    }
}
