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
            for (int i = 0; i < n; i++) {
                line++;
                if (buf[i] == '\n') {
                    line = 0;
                } else if (line > maxLineLength - 1) {
                    // the line is already longer than allowed even before its LF
                    throw new LimitExceededException(SmtpReason.LINE_TOO_LONG,
                            "line longer than " + maxLineLength + " octets");
                }
            }
            out.write(buf, 0, n);
        }
        return total;
    }
}
