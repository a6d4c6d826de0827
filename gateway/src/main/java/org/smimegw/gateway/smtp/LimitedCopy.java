package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies DATA to the spool, counting bytes and line lengths as they pass; stops at the first limit exceeded. */
final class LimitedCopy {
    private LimitedCopy() {
    }

    /**
     * @param maxBytes      largest message (bytes as received, after dot-unstuffing)
     * @param maxLineLength longest line in octets including CRLF
     * @return bytes copied
     */
    static long copy(InputStream in, OutputStream out, long maxBytes, int maxLineLength) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int line = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new LimitExceededException(SmtpReason.MESSAGE_TOO_BIG, "message larger than " + maxBytes + " bytes");
            }
            line = checkLines(buf, n, line, maxLineLength);
            out.write(buf, 0, n);
        }
        return total;
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
