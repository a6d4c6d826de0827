package org.smimegw.certstore.ldap;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.smimegw.certstore.SmimeCapabilities;

/**
 * What a gateway learned about a harvested certificate, kept as one {@code description} value of the harvest
 * entry so that other gateways read it back:
 * <pre>smimegw-harvest sha256=&lt;hex fingerprint&gt; seen=&lt;ISO-8601 instant&gt; caps=&lt;oid,oid,...|-&gt;</pre>
 * The capabilities are the sender's SMIMECapabilities OIDs in its order of preference, {@code -} when unknown.
 */
record HarvestNote(String sha256, Instant seen, SmimeCapabilities capabilities) {

    static final String PREFIX = "smimegw-harvest ";

    HarvestNote {
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }

    String format() {
        String caps = capabilities.isKnown() ? String.join(",", capabilities.algorithmOids()) : "-";
        return PREFIX + "sha256=" + sha256 + " seen=" + seen + " caps=" + caps;
    }

    /** The note in {@code value}, or empty when the value is some other description. */
    static Optional<HarvestNote> parse(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String sha = null;
        Instant seen = null;
        List<String> caps = new ArrayList<>();
        for (String part : value.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq);
            String val = part.substring(eq + 1);
            try {
                switch (key) {
                    case "sha256" -> sha = val;
                    case "seen" -> seen = Instant.parse(val);
                    case "caps" -> {
                        if (!val.equals("-") && !val.isEmpty()) {
                            caps.addAll(Arrays.asList(val.split(",")));
                        }
                    }
                    default -> { }
                }
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (sha == null || seen == null) {
            return Optional.empty();
        }
        return Optional.of(new HarvestNote(sha, seen, new SmimeCapabilities(caps)));
    }
}
