package org.smimegw.mailets.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.smimegw.certstore.SmimeCapabilities;

/**
 * Chooses the content-encryption algorithm for one message to several recipients (the classic {@code SMIMEEncrypt},
 * which never refuses): the strongest algorithm of the allowed list that every recipient announced (in its harvested
 * SMIMECapabilities or its certificate's SMIMECapabilities extension); the default whenever a recipient's
 * capabilities are unknown, nothing in common is found, or the mode is {@link NegotiationMode#BlockNegotiation}.
 * Every algorithm it may choose is strong, so {@link NegotiationMode#OnlyStrongAlgorithmNegotiation} negotiates as
 * {@link NegotiationMode#AllowAnyAlgorithmNegotiation} does. Immutable and thread-safe.
 */
public final class AlgorithmNegotiator {

    private final List<EncryptionAlgorithm> allowedStrongestFirst;
    private final EncryptionAlgorithm defaultAlgorithm;
    private final NegotiationMode mode;

    public AlgorithmNegotiator(Collection<EncryptionAlgorithm> allowed, EncryptionAlgorithm defaultAlgorithm,
                               NegotiationMode mode) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("the allowed content-encryption list is empty");
        }
        if (!allowed.contains(defaultAlgorithm)) {
            throw new IllegalArgumentException("default algorithm " + defaultAlgorithm.displayName()
                    + " is not in the allowed list " + allowed.stream().map(EncryptionAlgorithm::displayName).toList());
        }
        List<EncryptionAlgorithm> legacy = allowed.stream().filter(a -> !a.producible()).toList();
        if (!legacy.isEmpty()) {
            throw new IllegalArgumentException("the gateway does not encrypt with " + legacy);
        }
        List<EncryptionAlgorithm> sorted = new ArrayList<>(allowed.stream().distinct().toList());
        sorted.sort((a, b) -> a.isStrongerThan(b) ? -1 : b.isStrongerThan(a) ? 1 : 0);
        this.allowedStrongestFirst = List.copyOf(sorted);
        this.defaultAlgorithm = defaultAlgorithm;
        this.mode = mode;
    }

    /** AES-256-CBC by default, any of the algorithms the gateway produces allowed, negotiation on. */
    public static AlgorithmNegotiator defaults() {
        return new AlgorithmNegotiator(EncryptionAlgorithm.producibleStrongestFirst(), EncryptionAlgorithm.AES256,
                NegotiationMode.AllowAnyAlgorithmNegotiation);
    }

    public EncryptionAlgorithm choose(Collection<SmimeCapabilities> recipients) {
        if (!mode.negotiates() || recipients.isEmpty()
                || recipients.stream().anyMatch(c -> c == null || !c.isKnown())) {
            return defaultAlgorithm;
        }
        for (EncryptionAlgorithm candidate : allowedStrongestFirst) {
            if (recipients.stream().allMatch(c -> c.supports(candidate.oid().getId()))) {
                return candidate;
            }
        }
        return defaultAlgorithm;
    }

    public List<EncryptionAlgorithm> allowed() {
        return allowedStrongestFirst;
    }

    public EncryptionAlgorithm defaultAlgorithm() {
        return defaultAlgorithm;
    }

    public NegotiationMode mode() {
        return mode;
    }
}
