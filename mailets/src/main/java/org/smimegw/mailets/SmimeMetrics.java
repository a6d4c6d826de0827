package org.smimegw.mailets;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

import org.smimegw.certstore.UserKey;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.HeaderProtection;
import org.smimegw.mailets.crypto.SmimeEncryptor;
import org.smimegw.mailets.crypto.SmimeException;
import org.smimegw.mailets.crypto.SmimeSigner;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/**
 * Signing and encrypting, timed and counted where the work is done, for every mailet that does it
 * ({@code SMIMESign}, {@code SMIMEEncrypt}, {@code EnforceOutboundPolicy}): timers {@code smime.sign.time} and
 * {@code smime.encrypt.time}, counters {@code smime.sign.signed}, {@code smime.sign.failed},
 * {@code smime.encrypt.encrypted} and {@code smime.encrypt.failed}. Thread-safe.
 */
public final class SmimeMetrics {

    private final Timer signTime;
    private final Counter signed;
    private final Counter signFailed;
    private final Timer encryptTime;
    private final Counter encrypted;
    private final Counter encryptFailed;

    public SmimeMetrics(MetricRegistry metrics) {
        signTime = metrics.timer(MetricRegistry.name("smime", "sign", "time"));
        signed = metrics.counter(MetricRegistry.name("smime", "sign", "signed"));
        signFailed = metrics.counter(MetricRegistry.name("smime", "sign", "failed"));
        encryptTime = metrics.timer(MetricRegistry.name("smime", "encrypt", "time"));
        encrypted = metrics.counter(MetricRegistry.name("smime", "encrypt", "encrypted"));
        encryptFailed = metrics.counter(MetricRegistry.name("smime", "encrypt", "failed"));
    }

    /** {@link SmimeSigner#sign}, timed and counted. */
    public MimeMessage sign(SmimeSigner signer, MimeMessage message, UserKey key, Instant signingTime)
            throws SmimeException {
        return sign(signer, message, key, signingTime, null);
    }

    /** {@link SmimeSigner#sign} with RFC 9788 header protection ({@code headerProtection} null: none), timed and counted. */
    public MimeMessage sign(SmimeSigner signer, MimeMessage message, UserKey key, Instant signingTime,
                            HeaderProtection.Mode headerProtection) throws SmimeException {
        return counted(signTime, signed, signFailed, () -> signer.sign(message, key, signingTime, headerProtection));
    }

    /** {@link SmimeEncryptor#encrypt}, timed and counted. */
    public MimeMessage encrypt(SmimeEncryptor encryptor, MimeMessage message, List<X509Certificate> recipients,
                               EncryptionAlgorithm algorithm) throws SmimeException {
        return encrypt(encryptor, message, recipients, algorithm, false);
    }

    /** {@link SmimeEncryptor#encrypt} with or without RFC 9788 header protection, timed and counted. */
    public MimeMessage encrypt(SmimeEncryptor encryptor, MimeMessage message, List<X509Certificate> recipients,
                               EncryptionAlgorithm algorithm, boolean protectHeaders) throws SmimeException {
        return counted(encryptTime, encrypted, encryptFailed,
                () -> encryptor.encrypt(message, recipients, algorithm, protectHeaders));
    }

    /**
     * {@link SmimeSigner#signedEntity} written straight into {@link SmimeEncryptor#encrypt(MimeMessage,
     * org.smimegw.mailets.crypto.MessageFiles.Writer, List, EncryptionAlgorithm, boolean)}: one pass. Counted as one signature
     * and one encryption; its time is in the encryption timer (the signature is computed inside the encrypting pass).
     * A failure before the pass counts as a failed signature; one during it (where a signing and an encryption
     * failure cannot be told apart) as a failed signature and a failed encryption. With {@code protectHeaders} the
     * signed entity carries the protected header fields ({@code hp="cipher"}) and the outer section is reduced.
     */
    public MimeMessage signAndEncrypt(SmimeSigner signer, SmimeEncryptor encryptor, MimeMessage message, UserKey key,
                                      Instant signingTime, List<X509Certificate> recipients,
                                      EncryptionAlgorithm algorithm, boolean protectHeaders) throws SmimeException {
        MimeMessage result;
        try {
            var entity = signer.signedEntity(message, key, signingTime,
                    protectHeaders ? HeaderProtection.Mode.CIPHER : null);
            result = counted(encryptTime, encrypted, encryptFailed,
                    () -> encryptor.encrypt(message, entity, recipients, algorithm, protectHeaders));
        } catch (SmimeException | RuntimeException e) {
            signFailed.inc();
            throw e;
        }
        signed.inc();
        return result;
    }

    private interface Work {
        MimeMessage run() throws SmimeException;
    }

    private static MimeMessage counted(Timer time, Counter done, Counter failed, Work work) throws SmimeException {
        try (Timer.Context ignored = time.time()) {
            MimeMessage result = work.run();
            done.inc();
            return result;
        } catch (SmimeException | RuntimeException e) {
            failed.inc();
            throw e;
        }
    }
}
