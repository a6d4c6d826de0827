package org.smimegw.mailets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.crypto.DecryptionResult;
import org.smimegw.mailets.crypto.RefusedKey;
import org.smimegw.mailets.crypto.SmimeDecryptor;
import org.smimegw.mailets.policy.PolicyCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * Decrypts whole-message S/MIME encryption with the keys the store holds for the mail's recipients. A mail that
 * cannot be decrypted keeps its ciphertext and gets {@code X-SMIME-Decryption} / {@link SmimeAttributes#DECRYPTION}
 * (with the reason in {@link SmimeAttributes#DECRYPTION_REASON}); this mailet never throws. Match it with
 * {@code All}: an encrypted part inside an unencrypted multipart is then marked {@code nested-refused} (never
 * decrypted); unencrypted mail is left alone. Content decrypted from EnvelopedData (CBC) is marked
 * {@code decrypted-unauthenticated} until a valid signature inside vouches for it ({@code SMIMEVerify}).
 * <p>
 * With the gateway's {@link PolicyCheck}, a recipient whose policy says {@code AllowSMIMESoftCerts: false} has only
 * the keys in a hardware token used: a software key is never used, and mail only it could decrypt is marked
 * {@code key-refused} with the reason.
 */
public class SMIMEDecrypt extends GenericMailet {

    private static final Logger LOG = LoggerFactory.getLogger(SMIMEDecrypt.class);
    static final Set<String> PARAMETERS = Set.of("temporaryDirectory", "inMemoryLimit");

    private final CertificateStore store;
    private final PolicyCheck policy;
    private final MetricRegistry metrics;
    private SmimeDecryptor decryptor;
    private Timer timer;

    /** Every key the store holds for a recipient may decrypt (no policy). */
    /** Which JCA provider computes each primitive (crypto.providers in gateway.yaml). */
    private final PrimitiveProviders providers;

    public SMIMEDecrypt(CertificateStore store, MetricRegistry metrics, PrimitiveProviders providers) {
        this(store, null, metrics, providers);
    }

    /** @param policy decides per recipient whether its software keys may decrypt (AllowSMIMESoftCerts); null: all */
    @Inject
    public SMIMEDecrypt(CertificateStore store, PolicyCheck policy, MetricRegistry metrics,
                        PrimitiveProviders providers) {
        this.providers = providers;
        this.store = store;
        this.policy = policy;
        this.metrics = metrics;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        decryptor = new SmimeDecryptor(new Parameters(this).files(), providers);
        timer = metrics.timer(MetricRegistry.name("smime", "decrypt", "time"));
    }

    @Override
    public void service(Mail mail) {
        DecryptionResult result;
        try (Timer.Context ignored = timer.time()) {
            String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
            List<UserKey> keys = new ArrayList<>();
            List<RefusedKey> refused = new ArrayList<>();
            for (MailAddress recipient : mail.getRecipients()) {
                for (UserKey key : store.decryptionKeys(recipient.asString())) {
                    Optional<String> refusal = policy == null ? Optional.empty()
                            : policy.decryptionKeyRefusal(sender, recipient.asString(), key.storage());
                    if (refusal.isPresent()) {
                        refused.add(new RefusedKey(key, refusal.get()));
                    } else {
                        keys.add(key);
                    }
                }
            }
            result = decryptor.decrypt(mail.getMessage(), keys, refused);
        } catch (MessagingException | RuntimeException e) {
            // the store or the message could not be read: the mail goes on as it came, marked
            result = DecryptionResult.of(DecryptionResult.Status.FAILED, null,
                    "decryption could not be attempted (the gateway's log names the error)");
            LOG.warn("decryption could not be attempted, the mail keeps its ciphertext: {}", e.getClass().getName());
        }
        if (result.status() == DecryptionResult.Status.NOT_ENCRYPTED) {
            return;
        }
        record(mail, result);
        metrics.counter("smime.decrypt." + result.status().value()).inc();
        LOG.info("decryption: {}{}{}", result.status().value(),
                result.contentEncryption() == null ? "" : " (" + result.contentEncryption() + ")",
                result.status() == DecryptionResult.Status.DECRYPTED ? "" : ": " + result.reason());
    }

    /** The verdict as attributes and headers; the decrypted message replaces the ciphertext only when decrypted. */
    private static void record(Mail mail, DecryptionResult result) {
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION, result.status().value());
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION_REASON,
                result.status() == DecryptionResult.Status.DECRYPTED ? null : result.reason());
        SmimeAttributes.set(mail, SmimeAttributes.DECRYPTION_ALGORITHM, result.contentEncryption());
        try {
            if (result.message().isPresent()) {
                mail.setMessage(result.message().get());
            }
            SmimeHeaders.write(mail);
        } catch (MessagingException | RuntimeException e) {
            // the attributes still say it; SMIMEVerify writes the headers again
            LOG.warn("cannot write the decryption verdict headers: {}", e.getClass().getName());
        }
    }

    /** The init parameters this mailet accepts (the gateway's container refuses others at start). */
    public Set<String> getAllowedInitParameters() {
        return PARAMETERS;
    }

    @Override
    public String getMailetInfo() {
        return "S/MIME decryption with the recipients' keys";
    }
}
