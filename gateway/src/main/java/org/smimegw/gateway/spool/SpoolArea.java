package org.smimegw.gateway.spool;

/** The directories of the spool; each is its own queue. */
public enum SpoolArea {
    /** Accepted over SMTP (or re-injected), waiting for the mailet pipeline. */
    INCOMING,
    /** Processed by the pipeline, waiting for (or between attempts of) delivery to the next hop. */
    OUTGOING,
    /** Mails the pipeline gave up on after repeated failures; kept for an admin. */
    ERROR,
    /** Mails held by policy until an admin releases or deletes them. */
    QUARANTINE,
    /**
     * Entries the gateway could not read (an envelope that does not parse, content without an envelope), moved
     * aside by the scan that found them so that they block nothing, as Postfix's {@code corrupt} queue; each with
     * a {@code <id>.reason} file. An admin repairs and re-queues, or deletes them.
     */
    CORRUPT;

    private final String directoryName = name().toLowerCase(java.util.Locale.ROOT);

    public String directoryName() {
        return directoryName;
    }

    /** The area with this directory name (case-insensitive, trimmed), or empty. */
    public static java.util.Optional<SpoolArea> named(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        for (SpoolArea area : values()) {
            if (area.directoryName.equals(n)) {
                return java.util.Optional.of(area);
            }
        }
        return java.util.Optional.empty();
    }

    /** The names of every area, for messages: "incoming, outgoing, error, quarantine, corrupt". */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(SpoolArea::directoryName).toList());
    }
}
