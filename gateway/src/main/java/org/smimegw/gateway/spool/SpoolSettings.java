package org.smimegw.gateway.spool;

/**
 * Disk use of the {@link FileSpool} ({@code spool:} in gateway.yaml).
 *
 * @param minFreeBytes     free space the spool's file system must keep: below it the SMTP front end answers
 *                         {@code 452 4.3.1} at MAIL FROM (with the declared SIZE added), as Postfix's
 *                         {@code queue_minfree}; the gateway's default is 1.5 × {@code smtp.maxMessageSize}, as
 *                         Postfix's; 0 = no reserve
 * @param recycleBytes     the most bytes the files kept for reuse may hold ({@link SpoolFileRecycler}); they are
 *                         given back (unlinked) as soon as free space runs short; 0 = no reuse
 */
public record SpoolSettings(long minFreeBytes, long recycleBytes) {
    /** Default bound of the files kept for reuse: 32 MiB. */
    public static final long DEFAULT_RECYCLE_BYTES = 32L * 1024 * 1024;

    public SpoolSettings {
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("spool.minFreeBytes must not be negative, is " + minFreeBytes);
        }
        if (recycleBytes < 0) {
            throw new IllegalArgumentException("spool.recycleBytes must not be negative, is " + recycleBytes);
        }
    }

    /** No reserve, the default reuse bound (a spool opened outside the gateway, tests). */
    public static SpoolSettings defaults() {
        return new SpoolSettings(0, DEFAULT_RECYCLE_BYTES);
    }

    /** The reserve Postfix keeps by default: one and a half times the largest message. */
    public static long defaultMinFree(long maxMessageSize) {
        return maxMessageSize + maxMessageSize / 2;
    }
}
