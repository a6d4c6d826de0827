package org.smimegw.mailets;

import java.time.Instant;
import java.util.Optional;

import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.certstore.Purpose;
import org.smimegw.certstore.UserKey;
import org.smimegw.certstore.ValidationResult;

/**
 * Finds the key to sign with for an address: the store's signing key, if its certificate validates for signing now.
 * The key comes back with its chain replaced by the path the validator built up to the trust anchor (anchor
 * included), so a signature can carry the root even when the key was imported without it. Used by
 * {@code SMIMESign}, the policy's facts and {@code EnforceOutboundPolicy} alike.
 */
public final class SigningKeys {

    /** What the store holds for an address. */
    public sealed interface Lookup {
    }

    /** A key whose certificate validates for signing now; its chain is the validated path to the trust anchor. */
    public record Usable(UserKey key) implements Lookup {
    }

    /** The store holds no signing key for the address. */
    public record Missing() implements Lookup {
    }

    /** A key whose certificate does not validate for signing now. */
    public record Invalid(UserKey key, ValidationResult validation) implements Lookup {
    }

    private final CertificateStore store;
    private final CertificateValidator validator;

    public SigningKeys(CertificateStore store, CertificateValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    public Lookup find(String address, Instant now) {
        Optional<UserKey> key = store.signingKey(address);
        if (key.isEmpty()) {
            return new Missing();
        }
        UserKey k = key.get();
        ValidationResult validation = validator.validate(k.certificate(), k.chain(), Purpose.SIGN, address, now);
        if (!validation.isValid()) {
            return new Invalid(k, validation);
        }
        // the path starts with the certificate itself and ends with the trust anchor
        return new Usable(new UserKey(k.privateKey(), k.certificate(),
                validation.path().subList(Math.min(1, validation.path().size()), validation.path().size()),
                k.storage(), k.provider()));
    }
}
