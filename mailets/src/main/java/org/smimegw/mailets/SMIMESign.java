package org.smimegw.mailets;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.certstore.CertificateInfo;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.SignMode;
import org.smimegw.mailets.crypto.SignatureScheme;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.crypto.SmimeException;
import org.smimegw.mailets.crypto.SmimeSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;

/**
 * Signs the message with the key the store holds for the sender (the From address, or the envelope sender). A key
 * whose certificate the validator does not accept for signing now (expired, revoked, wrong address) counts as no key.
 * See docs/smime.md for the parameters.
 */
public class SMIMESign extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(SMIMESign.class);
    static final Set<String> PARAMETERS = Set.of("signerAddress", "mode", "digest", "rsaSignature", "certificates",
            "capabilities", "encryptionKeyPreference", "noKeyProcessor", "skipSMIME", "temporaryDirectory", "inMemoryLimit");

    private final SigningKeys signingKeys;
    private final SmimeMetrics metered;
    private final MetricRegistry metrics;
    private final Clock clock;
    /** Which JCA provider computes each primitive (crypto.providers in gateway.yaml). */
    private final PrimitiveProviders providers;
    private SmimeSigner signer;
    private boolean useEnvelopeSender;
    private String noKeyProcessor;
    private boolean skipSmime;

    @Inject
    public SMIMESign(CertificateStore store, CertificateValidator validator, MetricRegistry metrics, Clock clock,
                     PrimitiveProviders providers) {
        this.providers = providers;
        this.signingKeys = new SigningKeys(store, validator);
        this.metered = new SmimeMetrics(metrics);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        Parameters p = new Parameters(this);
        useEnvelopeSender = p.get("signerAddress", "from", v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "from" -> false;
            case "sender", "envelope", "envelope-sender" -> true;
            default -> throw new IllegalArgumentException("expected from or sender");
        });
        SignerSettings settings = new SignerSettings(
                p.get("mode", "clear", SignMode::fromName),
                p.get("digest", "SHA-256", DigestAlgorithm::fromName),
                p.get("rsaSignature", "pkcs1", SignatureScheme::fromName),
                p.get("certificates", "chain", CertificateInclusion::fromName),
                p.algorithms("capabilities", "AES-256-GCM, AES-256-CBC, AES-192-CBC, AES-128-GCM, AES-128-CBC"),
                p.bool("encryptionKeyPreference", true));
        noKeyProcessor = p.string("noKeyProcessor", null);
        skipSmime = p.bool("skipSMIME", true);
        signer = new SmimeSigner(settings, p.files(), providers);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        if (skipSmime && (SmimeContentTypes.isSigned(message) || SmimeContentTypes.isEncrypted(message))) {
            metrics.counter("smime.sign.skipped.already-smime").inc();
            return;
        }
        String address = useEnvelopeSender
                ? mail.getMaybeSender().asOptional().map(a -> a.asString()).orElse(null)
                : Parameters.addressOf(message);
        Instant now = clock.instant();
        SigningKeys.Lookup lookup = address == null ? new SigningKeys.Missing() : signingKeys.find(address, now);
        if (lookup instanceof SigningKeys.Invalid invalid) {
            LOG.warn("signing certificate {} for {} is not usable: {}", CertificateInfo.of(invalid.key().certificate()),
                    address, invalid.validation().failures());
        }
        Optional<UserKey> key = lookup instanceof SigningKeys.Usable usable ? Optional.of(usable.key())
                : Optional.empty();
        if (key.isEmpty()) {
            metrics.counter("smime.sign.no-key").inc();
            SmimeAttributes.set(mail, SmimeAttributes.SIGNING_SKIPPED, "no-key");
            if (noKeyProcessor != null) {
                LOG.info("no signing key for {}, handing the mail to processor {}", address, noKeyProcessor);
                mail.setState(noKeyProcessor);
            } else {
                LOG.info("no signing key for {}, passing unsigned", address);
            }
            return;
        }
        try {
            mail.setMessage(metered.sign(signer, message, key.get(), now));
            SmimeAttributes.set(mail, SmimeAttributes.SIGNED_BY, address);
            LOG.info("signed for {} with {}", address, signer.describe(key.get()));
        } catch (SmimeException e) {
            throw new MessagingException("S/MIME signing failed for " + address + ": " + e.getMessage(), e);
        }
    }

    /** The init parameters this mailet accepts (the gateway's container refuses others at start). */
    public Set<String> getAllowedInitParameters() {
        return PARAMETERS;
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME signing with the sender's key";
    }
}
