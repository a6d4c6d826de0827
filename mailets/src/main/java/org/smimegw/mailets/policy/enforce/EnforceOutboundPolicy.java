package org.smimegw.mailets.policy.enforce;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.SigningKeys;
import org.smimegw.mailets.SmimeAttributes;
import org.smimegw.mailets.SmimeMetrics;
import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.HeaderProtection;
import org.smimegw.mailets.crypto.KeyTransport;
import org.smimegw.mailets.crypto.MessageFiles;
import org.smimegw.mailets.crypto.RecipientIdentifierType;
import org.smimegw.mailets.crypto.SignMode;
import org.smimegw.mailets.crypto.SignatureScheme;
import org.smimegw.mailets.crypto.SignerSettings;
import org.smimegw.mailets.crypto.SmimeContentTypes;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeException;
import org.smimegw.mailets.crypto.SmimeSigner;
import org.smimegw.mailets.policy.BccForking;
import org.smimegw.mailets.policy.CertificateSummary;
import org.smimegw.mailets.policy.EffectivePolicy;
import org.smimegw.mailets.policy.EncryptionPlan;
import org.smimegw.mailets.policy.OutboundDecision;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyStatus;
import org.smimegw.mailets.policy.Settings;
import org.smimegw.mailets.policy.SigningPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;

/**
 * Enforces the S/MIME policy on outbound mail, per (sender, recipient) pair: asks {@link PolicyCheck} what to do for
 * each recipient and does it in one step, so that nothing can fall between deciding and doing.
 * <ul>
 *   <li><b>send</b>: recipients with the same plan (digest, clear/opaque, chain, capabilities; content algorithm,
 *       recipient identifier, Bcc forking, triple wrap) share one message, signed and/or encrypted as planned;</li>
 *   <li><b>refuse</b>: the recipients are removed and the sender gets a DSN naming them with 5.7.1 and the reason
 *       ({@link PolicyActions#refuse});</li>
 *   <li><b>defer</b> (directory or CRL unreachable): only those recipients wait, in a copy of the mail as it arrived
 *       here that runs this processor again after {@code deferralRetrySeconds} (default 60; the gateway keeps it in
 *       its spool); the others are handled now. Recipients deferred longer than {@code deferralLifetimeHours}
 *       (default 120) are given up with a DSN (4.4.3 and the reason). Never downgraded to clear text.</li>
 * </ul>
 * A failure while signing or encrypting (or a key or certificate that changed since the decision) throws before
 * anything was handed on, so the pipeline retries the whole mail ({@code onMailetException="propagate"}).
 * Every resulting message continues in {@code processor} (default {@code transport}). With {@code silentProcessor}
 * set, recipients for whom the policy is silent (nothing required or wanted, soft keys allowed) go there unchanged,
 * so the classic {@code SMIMESign}/{@code SMIMEEncrypt} can do opportunistic S/MIME for them. The sender is the envelope
 * sender (what the RCPT-time check sees); mail with the null sender is treated as sent by the postmaster.
 * Mail the client already signed is not signed again; mail the client already encrypted is passed as it is.
 */
public class EnforceOutboundPolicy extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(EnforceOutboundPolicy.class);
    static final Set<String> PARAMETERS = Set.of("processor", "silentProcessor", "senderAddress", "rsaSignature",
            "keyTransport", "encryptionKeyPreference", "temporaryDirectory", "inMemoryLimit", "deferralRetrySeconds",
            "deferralLifetimeHours");

    private final PolicyCheck check;
    private final CertificateStore store;
    private final SigningKeys signingKeys;
    private final SmimeMetrics metered;
    private final PolicyActions actions;
    private final PolicyDecisionLog decisionLog;
    private final Clock clock;
    private DeferredRecipients deferrals;
    private final Map<SignerSettings, SmimeSigner> signers = new ConcurrentHashMap<>();
    private final Map<RecipientIdentifierType, SmimeEncryptor> encryptors = new EnumMap<>(RecipientIdentifierType.class);
    private String processor;
    private String silentProcessor;
    private boolean useFromHeader;
    private SignerSettings signerBase;
    private MessageFiles files;
    /** Which JCA provider computes each primitive (crypto.providers in gateway.yaml). */
    private final PrimitiveProviders providers;

    @Inject
    public EnforceOutboundPolicy(PolicyCheck check, CertificateStore store, CertificateValidator validator,
                                 PolicyActions actions, MetricRegistry metrics, Clock clock,
                                 PrimitiveProviders providers) {
        this.providers = providers;
        this.check = check;
        this.store = store;
        this.signingKeys = new SigningKeys(store, validator);
        this.metered = new SmimeMetrics(metrics);
        this.actions = actions;
        this.decisionLog = new PolicyDecisionLog(metrics);
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        EnforceParameters p = new EnforceParameters(this, PARAMETERS);
        processor = p.string("processor", "transport");
        silentProcessor = p.string("silentProcessor", null);
        useFromHeader = p.choice("senderAddress", "sender", Set.of("sender", "from")).equals("from");
        SignatureScheme rsaScheme = p.parse("rsaSignature", "pkcs1", SignatureScheme::fromName);
        KeyTransport keyTransport = p.parse("keyTransport", "pkcs1", KeyTransport::fromName);
        signerBase = new SignerSettings(SignMode.CLEAR, DigestAlgorithm.SHA256, rsaScheme,
                CertificateInclusion.CHAIN_WITHOUT_ROOT, List.of(), p.bool("encryptionKeyPreference", true));
        files = p.files();
        deferrals = new DeferredRecipients(actions, decisionLog, clock,
                Duration.ofSeconds(p.parse("deferralRetrySeconds", "60", v -> positive(v, 0))),
                Duration.ofHours(p.parse("deferralLifetimeHours", "120", v -> positive(v, 1))));
        for (RecipientIdentifierType rid : RecipientIdentifierType.values()) {
            encryptors.put(rid, new SmimeEncryptor(new EncryptorSettings(keyTransport, rid), files, providers));
        }
    }

    private static long positive(String value, long min) {
        long n = Long.parseLong(value);
        if (n < min) {
            throw new IllegalArgumentException("must be at least " + min);
        }
        return n;
    }

    /** The parameters this mailet accepts (the gateway's container refuses others at start). */
    public Set<String> getAllowedInitParameters() {
        return PARAMETERS;
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME policy enforcement for outbound mail (sign, encrypt, refuse, defer per recipient)";
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage original = mail.getMessage();
        String sender = senderOf(mail);
        Map<MailAddress, OutboundDecision> decisions = new LinkedHashMap<>();
        List<MailAddress> silent = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            OutboundDecision d;
            try {
                if (silentProcessor != null && silent(check.effective(sender, recipient.asString()))) {
                    silent.add(recipient);
                    continue;
                }
                d = producible(check.outbound(sender, recipient.asString()));
            } catch (RuntimeException e) {
                throw new MessagingException("policy check failed for " + sender + " -> " + recipient
                        + " (the mail is retried, not sent): " + e.getMessage(), e);
            }
            decisions.put(recipient, d);
        }
        // deferred recipients wait on their own: a copy as the mail arrived here, handed on after the crypto below
        Map<MailAddress, OutboundDecision.Defer> deferred = new LinkedHashMap<>();
        decisions.forEach((r, d) -> {
            if (d instanceof OutboundDecision.Defer defer) {
                deferred.put(r, defer);
            }
        });
        deferred.keySet().forEach(decisions::remove);
        Mail waiting = deferred.isEmpty() ? null : mail.duplicate();

        Map<String, List<MailAddress>> refused = new LinkedHashMap<>();
        Map<Plan, List<MailAddress>> groups = new LinkedHashMap<>();
        Map<MailAddress, EncryptionPlan> encryptionPlans = new LinkedHashMap<>();
        decisions.forEach((r, d) -> {
            if (d instanceof OutboundDecision.Refuse refuse) {
                refused.computeIfAbsent(refuse.reason(), k -> new ArrayList<>()).add(r);
            } else if (d instanceof OutboundDecision.Send send) {
                groups.computeIfAbsent(plan(send), k -> new ArrayList<>()).add(r);
                send.encryption().ifPresent(e -> encryptionPlans.put(r, e));
            }
        });

        // do all the crypto first: a failure here throws before any DSN or copy has been sent
        boolean alreadySigned = SmimeContentTypes.isSigned(original);
        boolean alreadyEncrypted = SmimeContentTypes.isEncrypted(original);
        Set<String> visible = visibleRecipients(original);
        if (!alreadyEncrypted && groups.keySet().stream().anyMatch(p -> p.content() != null)) {
            original.removeHeader("Bcc");
        }
        Instant now = clock.instant();
        List<Outgoing> outgoing = new ArrayList<>();
        UserKey key = null;
        for (Map.Entry<Plan, List<MailAddress>> group : groups.entrySet()) {
            Plan plan = group.getKey();
            MimeMessage message = original;
            boolean signed = plan.signer() != null && !alreadySigned && !alreadyEncrypted;
            if (signed) {
                key = key != null ? key : signingKey(sender, plan, now);
            }
            // RFC 9788 hp="cipher": in our own signature, or in the content when unsigned; never around a client's
            // signature (its content carries no protected fields, so an obscured Subject would be lost)
            boolean protectHeaders = plan.headerProtection() == HeaderProtection.Mode.CIPHER
                    && (signed || !alreadySigned);
            boolean encrypts = plan.content() != null && !alreadyEncrypted;
            List<List<MailAddress>> forks = encrypts ? forks(group.getValue(), visible, plan.bccForking()) : List.of();
            if (signed && forks.size() == 1 && !plan.tripleWrap()) {
                // one pass: the signed entity is written straight into the encryption, never stored or parsed
                MimeMessage encrypted = signAndEncrypt(message, plan, key, forks.get(0), encryptionPlans, now,
                        protectHeaders);
                outgoing.add(new Outgoing(forks.get(0), encrypted, sender, plan.content(), processor));
                continue;
            }
            if (signed) {
                message = sign(message, plan.signer(), key, now, plan.headerProtection());
            }
            if (!encrypts) {
                outgoing.add(new Outgoing(group.getValue(), message, signed ? sender : null, null, processor));
                continue;
            }
            for (List<MailAddress> part : forks) {
                MimeMessage encrypted = encrypt(message, plan, part, encryptionPlans, protectHeaders);
                if (plan.tripleWrap() && signed) {
                    encrypted = sign(encrypted, plan.signer(), key, now, null);
                }
                outgoing.add(new Outgoing(part, encrypted, signed ? sender : null, plan.content(), processor));
            }
        }

        for (Map.Entry<MailAddress, OutboundDecision> e : decisions.entrySet()) {
            OutboundDecision d = e.getValue();
            decisionLog.record("outbound", sender, e.getKey().asString(), d.setting(), d.outcome(), d.reason());
        }
        if (waiting != null) {
            deferred.forEach((r, d) -> decisionLog.record("outbound", sender, r.asString(), d.setting(), d.outcome(),
                    d.reason()));
            deferrals.hold(getMailetContext(), waiting, mail.getState(), sender, deferred);
        }
        for (Map.Entry<String, List<MailAddress>> r : refused.entrySet()) {
            actions.refuse(mail, r.getValue(), PolicyStatus.REFUSED.enhancedStatus(), r.getKey());
        }
        if (!silent.isEmpty()) {
            // the policy has nothing to say for these pairs: the classic mailets in silentProcessor handle them
            for (MailAddress r : silent) {
                decisionLog.record("outbound", sender, r.asString(), "none", "silent",
                        "policy neither requires nor wants S/MIME and allows soft keys: handed to " + silentProcessor);
            }
            outgoing.add(new Outgoing(silent, original, null, null, silentProcessor));
        }
        if (outgoing.isEmpty()) {
            mail.setState(Mail.GHOST);
            return;
        }
        for (int i = 1; i < outgoing.size(); i++) {
            Mail copy = mail.duplicate();
            outgoing.get(i).applyTo(copy);
            getMailetContext().sendMail(copy, outgoing.get(i).processor());
        }
        outgoing.get(0).applyTo(mail);
        mail.setState(outgoing.get(0).processor());
    }

    /**
     * The policy has nothing to say for this pair: nothing required or wanted (OWAAlwaysSign/OWAAlwaysEncrypt off)
     * and soft keys allowed, so the classic mailets may do as they are configured.
     */
    private static boolean silent(EffectivePolicy p) {
        return !p.requireSigned() && !p.requireEncrypted() && !p.value(Settings.ALWAYS_SIGN)
                && !p.value(Settings.ALWAYS_ENCRYPT) && p.allowSoftCerts();
    }

    private String senderOf(Mail mail) throws MessagingException {
        if (useFromHeader) {
            Address[] from = mail.getMessage().getFrom();
            if (from != null && from.length > 0 && from[0] instanceof InternetAddress ia && ia.getAddress() != null) {
                return ia.getAddress();
            }
        }
        return mail.getMaybeSender().asOptional().map(MailAddress::asString)
                .orElseGet(() -> getMailetContext().getPostmaster().asString());
    }

    /** A plan the crypto classes cannot carry out (a legacy algorithm a policy allowed) becomes a refusal. */
    private static OutboundDecision producible(OutboundDecision d) {
        if (!(d instanceof OutboundDecision.Send send)) {
            return d;
        }
        if (send.signing().isPresent() && !send.signing().get().digest().producible()) {
            return new OutboundDecision.Refuse("RequireSignedSMIMEAlgorithm", "policy requires signing with "
                    + send.signing().get().digest() + ", which the gateway does not produce");
        }
        if (send.encryption().isPresent() && !send.encryption().get().algorithm().producible()) {
            return new OutboundDecision.Refuse("RequireEncryptionSMIMEAlgorithm", "policy requires encryption with "
                    + send.encryption().get().algorithm() + ", which the gateway does not produce");
        }
        return d;
    }

    private Plan plan(OutboundDecision.Send send) {
        SignerSettings signer = null;
        String signerFingerprint = null;
        if (send.signing().isPresent()) {
            SigningPlan s = send.signing().get();
            signer = new SignerSettings(s.clearSign() ? SignMode.CLEAR : SignMode.OPAQUE, s.digest(),
                    signerBase.rsaScheme(), s.chain(), s.capabilitiesToAnnounce().stream()
                    .filter(EncryptionAlgorithm::producible).toList(), signerBase.encryptionKeyPreference());
            signerFingerprint = s.certificate().sha256();
        }
        HeaderProtection.Mode headerProtection = send.headerProtection().orElse(null);
        if (send.encryption().isEmpty()) {
            return new Plan(signer, signerFingerprint, null, null, null, false, headerProtection);
        }
        EncryptionPlan e = send.encryption().get();
        return new Plan(signer, signerFingerprint, e.algorithm(),
                e.useKeyIdentifier() ? RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER
                        : RecipientIdentifierType.ISSUER_AND_SERIAL,
                e.bccForking(), send.tripleWrap(), headerProtection);
    }

    /**
     * The key policy decided on, with its validated chain up to the trust anchor: still there, still the same
     * certificate, still valid (else retried and decided again).
     */
    private UserKey signingKey(String sender, Plan plan, Instant now) throws MessagingException {
        if (signingKeys.find(sender, now) instanceof SigningKeys.Usable usable
                && CertificateSummary.of(usable.key().certificate()).sha256().equals(plan.signerFingerprint())) {
            return usable.key();
        }
        throw new MessagingException("the signing key of " + sender + " changed while the policy was applied; "
                + "retried");
    }

    private MimeMessage sign(MimeMessage message, SignerSettings settings, UserKey key, Instant now,
                             HeaderProtection.Mode headerProtection) throws MessagingException {
        try {
            return metered.sign(signer(settings), message, key, now, headerProtection);
        } catch (SmimeException e) {
            throw new MessagingException("S/MIME signing failed: " + e.getMessage(), e);
        }
    }

    private MimeMessage encrypt(MimeMessage message, Plan plan, List<MailAddress> recipients,
                                Map<MailAddress, EncryptionPlan> plans, boolean protectHeaders) throws MessagingException {
        List<X509Certificate> certificates = certificates(recipients, plans);
        try {
            return metered.encrypt(encryptors.get(plan.recipientIdentifier()), message, certificates, plan.content(),
                    protectHeaders);
        } catch (SmimeException e) {
            throw new MessagingException("S/MIME encryption failed: " + e.getMessage(), e);
        }
    }

    private MimeMessage signAndEncrypt(MimeMessage message, Plan plan, UserKey key, List<MailAddress> recipients,
                                       Map<MailAddress, EncryptionPlan> plans, Instant now, boolean protectHeaders)
            throws MessagingException {
        List<X509Certificate> certificates = certificates(recipients, plans);
        try {
            return metered.signAndEncrypt(signer(plan.signer()), encryptors.get(plan.recipientIdentifier()), message,
                    key, now, certificates, plan.content(), protectHeaders);
        } catch (SmimeException e) {
            throw new MessagingException("S/MIME signing and encryption failed: " + e.getMessage(), e);
        }
    }

    private List<X509Certificate> certificates(List<MailAddress> recipients, Map<MailAddress, EncryptionPlan> plans)
            throws MessagingException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (MailAddress r : recipients) {
            certificates.add(certificate(r, plans.get(r).certificate()));
        }
        return certificates;
    }

    private SmimeSigner signer(SignerSettings settings) {
        return signers.computeIfAbsent(settings, s -> new SmimeSigner(s, files, providers));
    }

    private X509Certificate certificate(MailAddress recipient, CertificateSummary decided) throws MessagingException {
        List<PublishedCertificate> published;
        try {
            published = store.encryptionCertificates(recipient.asString());
        } catch (DirectoryUnavailableException e) {
            throw new MessagingException("certificate directory unavailable for " + recipient
                    + "; deferred, never sent in clear: " + e.getMessage(), e);
        }
        for (PublishedCertificate p : published) {
            if (CertificateSummary.of(p.certificate()).sha256().equals(decided.sha256())) {
                return p.certificate();
            }
        }
        throw new MessagingException("the certificate policy chose for " + recipient + " (" + decided
                + ") is gone; retried, never sent in clear");
    }

    private static Set<String> visibleRecipients(MimeMessage message) throws MessagingException {
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
        return visible;
    }

    /** OWABCCEncryptedEmailForking: 0 each Bcc recipient alone, 1 all Bcc recipients together, 2 everybody together. */
    static List<List<MailAddress>> forks(List<MailAddress> recipients, Set<String> visible, BccForking forking) {
        if (forking == BccForking.NO_FORKING) {
            return List.of(recipients);
        }
        List<MailAddress> shown = new ArrayList<>();
        List<MailAddress> hidden = new ArrayList<>();
        for (MailAddress r : recipients) {
            (visible.contains(r.asString().toLowerCase(Locale.ROOT)) ? shown : hidden).add(r);
        }
        List<List<MailAddress>> forks = new ArrayList<>();
        if (!shown.isEmpty()) {
            forks.add(shown);
        }
        if (forking == BccForking.ONE_MESSAGE_FOR_ALL_BCC_RECIPIENTS) {
            if (!hidden.isEmpty()) {
                forks.add(hidden);
            }
        } else {
            hidden.forEach(h -> forks.add(List.of(h)));
        }
        return forks;
    }

    /** Recipients sharing a plan share one message. */
    private record Plan(SignerSettings signer, String signerFingerprint, EncryptionAlgorithm content,
                        RecipientIdentifierType recipientIdentifier, BccForking bccForking, boolean tripleWrap,
                        HeaderProtection.Mode headerProtection) {
    }

    private record Outgoing(List<MailAddress> recipients, MimeMessage message, String signedBy,
                            EncryptionAlgorithm encryptedWith, String processor) {
        void applyTo(Mail mail) throws MessagingException {
            mail.setRecipients(recipients);
            mail.setMessage(message);
            SmimeAttributes.set(mail, SmimeAttributes.SIGNED_BY, signedBy);
            SmimeAttributes.set(mail, SmimeAttributes.ENCRYPTED_WITH,
                    encryptedWith == null ? null : encryptedWith.displayName());
        }
    }
}
