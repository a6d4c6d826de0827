package org.smimegw.mailets.crypto;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.smimegw.certstore.SmimeCapabilities;

/**
 * Chooses the content-encryption algorithm for one message: the strongest algorithm of the allowed list that every
 * recipient announced (in its harvested SMIMECapabilities or its certificate's SMIMECapabilities extension); the
 * default whenever a recipient's capabilities are unknown, nothing in common is found, or negotiation is off.
 * Immutable and thread-safe.
 */
public final class AlgorithmNegotiator {

    private final List<ContentEncryption> allowedStrongestFirst;
    private final ContentEncryption defaultAlgorithm;
    private final NegotiationMode mode;

    public AlgorithmNegotiator(Collection<ContentEncryption> allowed, ContentEncryption defaultAlgorithm,
                               NegotiationMode mode) {
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("the allowed content-encryption list is empty");
        }
        if (!allowed.contains(defaultAlgorithm)) {
            throw new IllegalArgumentException("default algorithm " + defaultAlgorithm + " is not in the allowed list " + allowed);
        }
        List<ContentEncryption> sorted = new ArrayList<>(allowed.stream().distinct().toList());
        sorted.sort(Comparator.comparingInt(ContentEncryption::strength).reversed());
        this.allowedStrongestFirst = List.copyOf(sorted);
        this.defaultAlgorithm = defaultAlgorithm;
        this.mode = mode;
    }

    /** AES-256-CBC by default, any of our algorithms allowed, negotiation on. */
    public static AlgorithmNegotiator defaults() {
        return new AlgorithmNegotiator(List.of(ContentEncryption.values()), ContentEncryption.AES_256_CBC,
                NegotiationMode.NEGOTIATE);
    }

    public ContentEncryption choose(Collection<SmimeCapabilities> recipients) {
        if (mode == NegotiationMode.FIXED || recipients.isEmpty()
                || recipients.stream().anyMatch(c -> c == null || !c.isKnown())) {
            return defaultAlgorithm;
        }
        for (ContentEncryption candidate : allowedStrongestFirst) {
            if (recipients.stream().allMatch(c -> c.supports(candidate.oidString()))) {
                return candidate;
            }
        }
        return defaultAlgorithm;
    }

    public List<ContentEncryption> allowed() {
        return allowedStrongestFirst;
    }

    public ContentEncryption defaultAlgorithm() {
        return defaultAlgorithm;
    }

    public NegotiationMode mode() {
        return mode;
    }
}
