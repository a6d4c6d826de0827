package org.smimegw.certstore;

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
}
