package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies DATA to the spool, counting bytes, line lengths and the header section's size as they pass; stops at the
 * first limit exceeded.
 */
final class LimitedCopy {
    private LimitedCopy() {
    }

    /**
     * @param maxBytes      largest message (bytes as received, after dot-unstuffing)
     * @param maxLineLength longest line in octets including CRLF
     * @param maxHeaderBytes largest header section (up to the empty line that ends it)
     * @return bytes copied
     */
    static long copy(InputStream in, OutputStream out, long maxBytes, int maxLineLength, long maxHeaderBytes)
            throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int line = 0;
        HeaderSection header = new HeaderSection(maxHeaderBytes);
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new LimitExceededException(SmtpReason.MESSAGE_TOO_BIG, "message larger than " + maxBytes + " bytes");
            }
            line = checkLines(buf, n, line, maxLineLength);
            header.scan(buf, n);
            out.write(buf, 0, n);
        }
        return total;
    }

    /** Counts the header section's bytes until the empty line that ends it (or the end of the message). */
    static final class HeaderSection {
        private final long max;
        private long bytes;
        private int lineLength;
        private boolean lastWasCr;
        private boolean ended;

        HeaderSection(long max) {
            this.max = max;
        }

        void scan(byte[] buf, int n) throws LimitExceededException {
            for (int i = 0; i < n && !ended; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    ended = lineLength == 0 || lineLength == 1 && lastWasCr; // an empty line: the body starts
                    lineLength = 0;
                } else {
                    lineLength++;
                }
                lastWasCr = b == '\r';
                if (++bytes > max && !ended) {
                    throw new LimitExceededException(SmtpReason.HEADER_TOO_BIG,
                            "header section larger than " + max + " bytes");
                }
            }
        }
    }

    /**
     * Checks the line lengths in {@code buf[0..n)}: a line may hold {@code maxLineLength - 1} octets before its LF.
     * Scans only for LF, at most as far as the current line may still reach.
     *
     * @param line octets of the current line before {@code buf} (since the last LF)
     * @return octets of the current line after {@code buf}
     */
    static int checkLines(byte[] buf, int n, int line, int maxLineLength) throws LimitExceededException {
        int i = 0;
        while (i < n) {
            int reach = i + (maxLineLength - line); // the LF must come at or before reach - 1
            int limit = Math.min(n, reach);
            int j = i;
            while (j < limit && buf[j] != '\n') {
                j++;
            }
            if (j < limit) {
                line = 0;
                i = j + 1;
            } else if (limit == reach) {
                throw new LimitExceededException(SmtpReason.LINE_TOO_LONG, "line longer than " + maxLineLength + " octets");
            } else {
                line += n - i;
                i = n;
            }
        }
        return line;
    }
}
