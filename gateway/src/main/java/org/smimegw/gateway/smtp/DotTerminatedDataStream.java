package org.smimegw.gateway.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The content of one DATA transfer (RFC 5321 §4.1.1.4, §4.5.2) read from the session's input in blocks: ends at
 * {@code CRLF.CRLF} (the first CRLF belongs to the content, the {@code .CRLF} does not) and removes the leading dot of
 * every line that starts with one, the first line included. Only CRLF starts a new line: a dot after a bare LF is
 * content.
 *
 * <p>It reads blocks straight into the caller's array and unstuffs them in place. Bytes after the terminating
 * {@code .CRLF} are never consumed: each block is read under a {@link InputStream#mark mark} of the underlying
 * stream, and when the terminator lies inside a block the stream is reset and skipped to just after it, so a
 * pipelining client's next command stays in the input for the command reader. The underlying stream must support
 * mark/reset (the session's input is a {@link java.io.BufferedInputStream}).
 *
 * <p>The connection ending before the terminator is an {@link EOFException}. {@link #close()} does not close the
 * underlying stream.
 */
final class DotTerminatedDataStream extends InputStream {
    /** Largest block read at once; the session's BufferedInputStream holds 8 KiB, so its buffer never grows. */
    static final int MAX_BLOCK = 8192;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    /** After CRLF (or at the start): a dot here is stuffing or the start of the terminator. */
    private static final int LINE_START = 0;
    /** Inside a line. */
    private static final int IN_LINE = 1;
    /** Just after a CR inside a line. */
    private static final int AFTER_CR = 2;
    /** A dot at the start of a line was read (and will not be passed on). */
    private static final int AFTER_DOT = 3;
    /** {@code .CR} at the start of a line was read; the CR is held back until the next byte shows it is content. */
    private static final int AFTER_DOT_CR = 4;
    /** The terminator was read. */
    private static final int ENDED = 5;

    private final InputStream in;
    private final byte[] single = new byte[1];
    private int state = LINE_START;

    /** @param in the session's input, positioned just after the DATA command line; must support mark/reset */
    DotTerminatedDataStream(InputStream in) {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("DATA needs an input stream with mark/reset, got " + in.getClass().getName());
        }
        this.in = in;
    }

    /** True once the terminating {@code .CRLF} has been read. */
    boolean ended() {
        return state == ENDED;
    }

    @Override
    public int read() throws IOException {
        int n = read(single, 0, 1);
        return n == -1 ? -1 : single[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (state == ENDED) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            int produced = state == AFTER_DOT_CR ? resolveHeldCr(b, off) : readBlock(b, off, Math.min(len, MAX_BLOCK));
            if (produced > 0) {
                return produced;
            }
            if (state == ENDED) {
                return -1;
            }
        }
    }

    /** Reads the rest of the content and discards it; afterwards the input stands after the terminator. */
    void skipToEnd() throws IOException {
        byte[] buf = new byte[MAX_BLOCK];
        while (read(buf, 0, buf.length) != -1) {
            // discard
        }
    }

    /**
     * A {@code .CR} at a line start ended the previous block: the next byte decides. LF ends the data; anything else
     * makes the held CR content (the byte itself is left in the input for the next block).
     *
     * @return 1 (the CR was written to {@code b[off]}) or 0 (the data ended)
     */
    private int resolveHeldCr(byte[] b, int off) throws IOException {
        in.mark(1);
        int c = in.read();
        if (c == -1) {
            throw prematureEnd();
        }
        if (c == LF) {
            state = ENDED;
            return 0;
        }
        in.reset();
        b[off] = CR;
        state = AFTER_CR;
        return 1;
    }

    /**
     * Reads up to {@code max} raw bytes into {@code b[off..]} and unstuffs them in place (output never overtakes input:
     * at most the held CR is written, and only where the dot before it was dropped or not yet written).
     *
     * @return bytes of content produced (0 when the block held only stuffing dots or the terminator)
     */
    private int readBlock(byte[] b, int off, int max) throws IOException {
        in.mark(max);
        int n = in.read(b, off, max);
        if (n == -1) {
            throw prematureEnd();
        }
        int end = off + n;
        int w = off;
        int r = off;
        int s = state;
        while (r < end) {
            byte c = b[r++];
            switch (s) {
                case IN_LINE -> {
                    b[w++] = c;
                    if (c == CR) {
                        s = AFTER_CR;
                    } else {
                        // the common case: copy (or just pass over) the rest of the line up to its CR
                        while (r < end) {
                            byte d = b[r++];
                            b[w++] = d;
                            if (d == CR) {
                                s = AFTER_CR;
                                break;
                            }
                        }
                    }
                }
                case AFTER_CR -> {
                    b[w++] = c;
                    s = c == LF ? LINE_START : c == CR ? AFTER_CR : IN_LINE;
                }
                case LINE_START -> {
                    if (c == DOT) {
                        s = AFTER_DOT;
                    } else {
                        b[w++] = c;
                        s = c == CR ? AFTER_CR : IN_LINE;
                    }
                }
                case AFTER_DOT -> {
                    if (c == CR) {
                        s = AFTER_DOT_CR;
                    } else {
                        b[w++] = c; // the dot was stuffing
                        s = IN_LINE;
                    }
                }
                case AFTER_DOT_CR -> {
                    if (c == LF) {
                        state = ENDED;
                        giveBack(r - off, n);
                        return w - off;
                    }
                    b[w++] = CR;
                    b[w++] = c;
                    s = c == CR ? AFTER_CR : IN_LINE;
                }
                default -> throw new IllegalStateException("state " + s);
            }
        }
        state = s;
        return w - off;
    }

    /** The terminator ended after {@code consumed} of the {@code read} bytes of this block: leave the rest unread. */
    private void giveBack(int consumed, int read) throws IOException {
        if (consumed < read) {
            in.reset();
            in.skipNBytes(consumed);
        }
    }

    private static EOFException prematureEnd() {
        return new EOFException("connection closed before the end of DATA (<CRLF>.<CRLF>)");
    }
}
