package org.smimegw.certstore;

import java.time.Instant;
import java.util.List;

/**
 * The algorithms a party announced it can handle (RFC 8551 SMIMECapabilities), in its order of preference,
 * as dotted OIDs (e.g. 2.16.840.1.101.3.4.1.42 for AES-256-CBC). Empty when nothing is known.
 */
public record SmimeCapabilities(List<String> algorithmOids) {
    public static final SmimeCapabilities UNKNOWN = new SmimeCapabilities(List.of());

    public SmimeCapabilities {
        algorithmOids = List.copyOf(algorithmOids);
    }

    public boolean isKnown() {
        return !algorithmOids.isEmpty();
    }

    public boolean supports(String oid) {
        return algorithmOids.contains(oid);
    }

    /**
     * The rule for two announcements of one certificate's owner, wherever they were seen (imported, published in a
     * directory, harvested from signed mail): whether {@code candidate}, seen at {@code candidateSeen}, replaces
     * {@code current}, seen at {@code currentSeen}. The newest capabilities seen apply: known capabilities replace
     * unknown ones, and known ones replace known ones only when seen later. A {@code null} time is undated: older
     * than any dated sighting. An announcement of nothing never replaces what is known.
     */
    public static boolean replaces(SmimeCapabilities candidate, Instant candidateSeen, SmimeCapabilities current,
                                   Instant currentSeen) {
        if (!candidate.isKnown()) {
            return false;
        }
        if (!current.isKnown()) {
            return true;
        }
        return candidateSeen != null && (currentSeen == null || candidateSeen.isAfter(currentSeen));
    }
}
