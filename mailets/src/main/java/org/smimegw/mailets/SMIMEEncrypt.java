package org.smimegw.mailets;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.DirectoryUnavailableException;
import org.smimegw.certstore.PublishedCertificate;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.crypto.AlgorithmNegotiator;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.HeaderProtection;
import org.smimegw.mailets.crypto.KeyTransport;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.NegotiationMode;
import org.smimegw.mailets.crypto.RecipientIdentifierType;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeException;
import org.smimegw.mailets.crypto.SmimeSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;

/**
 * Encrypts the message to every recipient's published, valid certificate. Recipients without one are split off
 * unencrypted to {@code noCertificateProcessor} (policy decides). A directory that cannot be asked makes the mailet
 * throw, so the mail is retried later and never sent in clear. See docs/smime.md for the parameters.
 */
public class SMIMEEncrypt extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(SMIMEEncrypt.class);
    static final Set<String> PARAMETERS = Set.of("algorithms", "defaultAlgorithm", "negotiation", "keyTransport",
            "recipientIdentifier", "encryptToSender", "noCertificateProcessor", "bccFork", "forkProcessor",
            "tripleWrap", "headerProtection", "temporaryDirectory", "inMemoryLimit");

    private final CertificateStore store;
    private final RecipientCertificates certificates;
    private final SigningKeys signingKeys;
    private final SmimeMetrics metered;
    private final MetricRegistry metrics;
    private final Clock clock;
    private AlgorithmNegotiator negotiator;
    /** Which JCA provider computes each primitive (crypto.providers in gateway.yaml). */
    private final PrimitiveProviders providers;
    private SmimeEncryptor encryptor;
    private SmimeSigner tripleWrapSigner;
    private boolean encryptToSender;
    private boolean bccFork;
    private boolean headerProtection;
    private String noCertificateProcessor;
    private String forkProcessor;

    @Inject
    public SMIMEEncrypt(CertificateStore store, CertificateValidator validator, MetricRegistry metrics, Clock clock,
                        PrimitiveProviders providers) {
        this.providers = providers;
        this.store = store;
        this.certificates = new RecipientCertificates(store, validator);
        this.signingKeys = new SigningKeys(store, validator);
        this.metered = new SmimeMetrics(metrics);
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        Parameters p = new Parameters(this);
        List<EncryptionAlgorithm> allowed = p.algorithms("algorithms",
                "AES-256-GCM, AES-256-CBC, AES-192-CBC, AES-128-GCM, AES-128-CBC");
        EncryptionAlgorithm defaultAlgorithm = p.get("defaultAlgorithm", "AES-256-CBC", EncryptionAlgorithm::fromName);
        NegotiationMode mode = p.get("negotiation", "negotiate", NegotiationMode::fromName);
        try {
            negotiator = new AlgorithmNegotiator(allowed, defaultAlgorithm, mode);
        } catch (IllegalArgumentException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage());
        }
        MessageFiles files = p.files();
        encryptor = new SmimeEncryptor(new EncryptorSettings(
                p.get("keyTransport", "pkcs1", KeyTransport::fromName),
                p.get("recipientIdentifier", "issuer-serial", RecipientIdentifierType::fromName)), files, providers);
        encryptToSender = p.bool("encryptToSender", false);
        bccFork = p.bool("bccFork", false);
        headerProtection = p.bool("headerProtection", true);
        noCertificateProcessor = p.string("noCertificateProcessor", "no-certificate");
        forkProcessor = p.string("forkProcessor", null);
        tripleWrapSigner = p.bool("tripleWrap", false) ? new SmimeSigner(SignerSettings.defaults(), files, providers) : null;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage plain = mail.getMessage();
        if (SmimeContentTypes.isEncrypted(plain)) {
            return;
        }
        Instant now = clock.instant();
        Map<MailAddress, PublishedCertificate> found = new LinkedHashMap<>();
        List<MailAddress> without = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<PublishedCertificate> c = lookup(recipient.asString(), now);
            if (c.isPresent()) {
                found.put(recipient, c.get());
            } else {
                without.add(recipient);
            }
        }
        if (found.isEmpty()) {
            metrics.counter("smime.encrypt.no-certificate").inc(without.size());
            SmimeAttributes.set(mail, SmimeAttributes.ENCRYPTION_SKIPPED, "no-certificate");
            mail.setState(noCertificateProcessor);
            return;
        }
        Optional<PublishedCertificate> senderCertificate = Optional.empty();
        String from = Parameters.addressOf(plain);
        if (encryptToSender && from != null) {
            senderCertificate = lookup(from, now);
            if (senderCertificate.isEmpty()) {
                senderCertificate = store.signingKey(from).map(k -> new PublishedCertificate(k.certificate(), k.chain(),
                        SmimeCapabilities.UNKNOWN, "signing key", now));
            }
        }
        plain.removeHeader("Bcc");
        if (!without.isEmpty()) {
            Mail clear = mail.duplicate();
            clear.setRecipients(without);
            SmimeAttributes.set(clear, SmimeAttributes.ENCRYPTION_SKIPPED, "no-certificate");
            clear.setState(noCertificateProcessor);
            getMailetContext().sendMail(clear);
            metrics.counter("smime.encrypt.no-certificate").inc(without.size());
            LOG.info("{} recipient(s) without a valid certificate handed to processor {}", without.size(), noCertificateProcessor);
        }
        List<List<MailAddress>> groups = groups(plain, new ArrayList<>(found.keySet()));
        boolean protectHeaders = protectHeaders(mail, plain);
        for (int i = 1; i < groups.size(); i++) {
            Mail copy = mail.duplicate();
            copy.setRecipients(groups.get(i));
            copy.setMessage(encrypt(plain, groups.get(i), found, senderCertificate, from, now, protectHeaders));
            SmimeAttributes.set(copy, SmimeAttributes.ENCRYPTED_WITH, algorithmName(groups.get(i), found, senderCertificate));
            copy.setState(forkProcessor != null ? forkProcessor : mail.getState());
            getMailetContext().sendMail(copy);
        }
        mail.setRecipients(groups.get(0));
        mail.setMessage(encrypt(plain, groups.get(0), found, senderCertificate, from, now, protectHeaders));
        SmimeAttributes.set(mail, SmimeAttributes.ENCRYPTED_WITH, algorithmName(groups.get(0), found, senderCertificate));
    }

    /**
     * RFC 9788 hp="cipher" for this mail: an unsigned message gets it in its content; a signed one only when
     * SMIMESign put the protected fields inside its signature for encryption (headerProtection=encrypted), since
     * otherwise the real Subject would be in no part a reader can see.
     */
    private boolean protectHeaders(Mail mail, MimeMessage plain) throws MessagingException {
        if (!headerProtection) {
            return false;
        }
        if (!SmimeContentTypes.isSigned(plain)) {
            return true;
        }
        return SmimeAttributes.get(mail, SmimeAttributes.SIGNED_HEADER_PROTECTION)
                .filter(HeaderProtection.Mode.CIPHER.value()::equals).isPresent();
    }

    private Optional<PublishedCertificate> lookup(String address, Instant now) throws MessagingException {
        try {
            return certificates.find(address, now);
        } catch (DirectoryUnavailableException e) {
            metrics.counter("smime.encrypt.directory-unavailable").inc();
            throw new MessagingException("certificate directory unavailable for " + address
                    + "; the mail is not sent in clear and must be retried: " + e.getMessage(), e);
        }
    }

    /** The visible recipients (To/Cc) together; each Bcc recipient alone when bccFork is on. */
    private List<List<MailAddress>> groups(MimeMessage message, List<MailAddress> recipients) throws MessagingException {
        if (!bccFork) {
            return List.of(recipients);
        }
        Set<String> visible = new LinkedHashSet<>();
        for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
            Address[] addresses = message.getRecipients(type);
            if (addresses != null) {
                for (Address a : addresses) {
                    if (a instanceof InternetAddress ia && ia.getAddress() != null) {
                        visible.add(ia.getAddress().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        List<MailAddress> shown = new ArrayList<>();
        List<List<MailAddress>> groups = new ArrayList<>();
        for (MailAddress r : recipients) {
            if (visible.contains(r.asString().toLowerCase(Locale.ROOT))) {
                shown.add(r);
            } else {
                groups.add(List.of(r));
            }
        }
        if (!shown.isEmpty()) {
            groups.add(0, shown);
        }
        return groups;
    }

    private String algorithmName(List<MailAddress> group, Map<MailAddress, PublishedCertificate> found,
                                 Optional<PublishedCertificate> sender) {
        return choose(group, found, sender).displayName();
    }

    private EncryptionAlgorithm choose(List<MailAddress> group, Map<MailAddress, PublishedCertificate> found,
                                     Optional<PublishedCertificate> sender) {
        List<SmimeCapabilities> capabilities = new ArrayList<>();
        for (MailAddress r : group) {
            capabilities.add(RecipientCertificates.capabilities(found.get(r)));
        }
        sender.ifPresent(s -> capabilities.add(RecipientCertificates.capabilities(s)));
        return negotiator.choose(capabilities);
    }

    private MimeMessage encrypt(MimeMessage plain, List<MailAddress> group, Map<MailAddress, PublishedCertificate> found,
                                Optional<PublishedCertificate> sender, String from, Instant now, boolean protectHeaders)
            throws MessagingException {
        List<X509Certificate> certs = new ArrayList<>();
        for (MailAddress r : group) {
            certs.add(found.get(r).certificate());
        }
        sender.ifPresent(s -> {
            if (!certs.contains(s.certificate())) {
                certs.add(s.certificate());
            }
        });
        EncryptionAlgorithm algorithm = choose(group, found, sender);
        try {
            Optional<UserKey> wrapKey = tripleWrapSigner != null && from != null
                    && signingKeys.find(from, now) instanceof SigningKeys.Usable usable ? Optional.of(usable.key())
                    : Optional.empty();
            MimeMessage result;
            if (wrapKey.isPresent()) {
                // inner signature written straight into the encryption (one pass), then the outer signature; the
                // protected fields go inside the inner signature unless plain's own signature has them
                boolean innerHeaders = protectHeaders && !SmimeContentTypes.isSigned(plain);
                MimeMessage encrypted = metered.signAndEncrypt(tripleWrapSigner, encryptor, plain, wrapKey.get(), now,
                        certs, algorithm, innerHeaders);
                result = metered.sign(tripleWrapSigner, encrypted, wrapKey.get(), now);
            } else {
                result = metered.encrypt(encryptor, plain, certs, algorithm, protectHeaders);
            }
            LOG.info("encrypted to {} recipient certificate(s) with {}", certs.size(), algorithm.displayName());
            return result;
        } catch (SmimeException e) {
            throw new MessagingException("S/MIME encryption failed: " + e.getMessage(), e);
        }
    }

    /** The init parameters this mailet accepts (the gateway's container refuses others at start). */
    public Set<String> getAllowedInitParameters() {
        return PARAMETERS;
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME encryption to the recipients' published certificates";
    }
}
