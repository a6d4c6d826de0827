package org.smimegw.mailets.policy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;

/**
 * Chooses the content-encryption algorithm for one recipient from three policy inputs (the allowed list in order of
 * preference, the default = RequireEncryptionSMIMEAlgorithm, the negotiation mode) and what the recipient announced
 * (SMIMECapabilities OIDs). Pure and stateless.
 *
 * <ol>
 *   <li>The recipient announced no content-encryption algorithm we know: the default (RFC 8551: without knowledge,
 *       use what policy says).</li>
 *   <li>It announced the default: the default.</li>
 *   <li>{@code BlockNegotiation}: refused.</li>
 *   <li>Otherwise the first algorithm of the allowed list that it announced, among strong ones only under
 *       {@code OnlyStrongAlgorithmNegotiation}; refused when there is none. Never a weak algorithm unless
 *       {@code allowWeak} (the loader already refuses weak names without AllowWeakAlgorithms).</li>
 * </ol>
 * RC2's OID carries no key size in an OID list, so an announced RC2 counts for every RC2 variant.
 */
public final class EncryptionNegotiator {

    public NegotiationResult choose(List<EncryptionAlgorithm> allowed, EncryptionAlgorithm defaultAlgorithm,
                                    NegotiationMode mode, boolean allowWeak, SmimeCapabilities capabilities) {
        Set<EncryptionAlgorithm> announced = announced(capabilities);
        if (!allowWeak && defaultAlgorithm.isWeak()) {
            return new NegotiationResult.Refused("RequireEncryptionSMIMEAlgorithm " + defaultAlgorithm
                    + " is a legacy algorithm and AllowWeakAlgorithms is not set");
        }
        if (announced.isEmpty()) {
            return new NegotiationResult.Chosen(defaultAlgorithm, "the recipient announced no encryption "
                    + "capabilities, so RequireEncryptionSMIMEAlgorithm " + defaultAlgorithm + " is used");
        }
        if (announced.contains(defaultAlgorithm)) {
            return new NegotiationResult.Chosen(defaultAlgorithm, "RequireEncryptionSMIMEAlgorithm "
                    + defaultAlgorithm + ", which the recipient announced");
        }
        String theirs = announced.stream().map(EncryptionAlgorithm::policyName).collect(Collectors.joining(", "));
        if (mode == NegotiationMode.BlockNegotiation) {
            return new NegotiationResult.Refused("BlockNegotiation: the recipient announced only " + theirs
                    + ", not RequireEncryptionSMIMEAlgorithm " + defaultAlgorithm);
        }
        List<EncryptionAlgorithm> candidates = new ArrayList<>();
        for (EncryptionAlgorithm a : allowed) {
            boolean strongEnough = mode != NegotiationMode.OnlyStrongAlgorithmNegotiation || a.isStrong();
            if (strongEnough && (allowWeak || a.isStrong())) {
                candidates.add(a);
            }
        }
        for (EncryptionAlgorithm a : candidates) {
            if (announced.contains(a)) {
                return new NegotiationResult.Chosen(a, mode + ": the recipient did not announce "
                        + defaultAlgorithm + "; " + a + " is the first allowed algorithm it announced");
            }
        }
        return new NegotiationResult.Refused(mode + ": the recipient announced only " + theirs
                + "; policy allows " + candidates.stream().map(EncryptionAlgorithm::policyName)
                .collect(Collectors.joining(", ")));
    }

    /** The content-encryption algorithms among the announced OIDs, in the recipient's order. */
    static Set<EncryptionAlgorithm> announced(SmimeCapabilities capabilities) {
        Set<EncryptionAlgorithm> found = new LinkedHashSet<>();
        for (String oid : capabilities.algorithmOids()) {
            found.addAll(EncryptionAlgorithm.byOid(oid));
        }
        return found;
    }
}
