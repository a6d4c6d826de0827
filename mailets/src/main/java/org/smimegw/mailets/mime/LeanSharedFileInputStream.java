package org.smimegw.mailets.mime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.internet.SharedInputStream;

/**
 * A file read as a {@link SharedInputStream}, as {@link jakarta.mail.util.SharedFileInputStream} does, but with
 * sub-streams that cost no read buffer until they are read. Jakarta Mail takes a sub-stream ({@link #newStream}) for
 * every body part it parses, two per part; {@code SharedFileInputStream} gives each one a buffer of the parent's
 * size at once (64 KiB for the crypto classes' files), so parsing a 0.4 MB message of 10,000 parts held ~1.3 GB of
 * empty buffers. Here a stream allocates its buffer on its first read, no larger than what it can read, and drops
 * it at its end: memory follows what is read, not how many parts there are.
 *
 * <p>All streams taken from one file share one descriptor: reads are positional ({@code seek} + {@code read} under
 * the file's lock), so streams do not disturb each other, and an interrupted thread does not close the file (a
 * {@code FileChannel} would). The file is closed when the last stream is closed, or when every stream became
 * unreachable without being closed (Jakarta Mail never closes the sub-stream a message keeps for its content), or
 * at once for all of them by {@link #closeFile()}. A stream is for one thread at a time, like any
 * {@link InputStream}.
 */
public final class LeanSharedFileInputStream extends InputStream implements SharedInputStream {
    private static final Cleaner CLEANER = Cleaner.create();

    private final SharedFile file;
    private final long start;
    private final long end;
    private final int bufferSize;
    private long position;
    private long mark;
    private byte[] buffer;
    private long bufferStart;
    private int bufferLength;
    private boolean closed;

    /**
     * Opens {@code file} from its start to its current end.
     *
     * @param bufferSize the most a stream reads ahead (a stream over fewer bytes allocates less)
     */
    public LeanSharedFileInputStream(File file, int bufferSize) throws IOException {
        this(new SharedFile(new RandomAccessFile(file, "r")), 0, -1, bufferSize);
    }

    private LeanSharedFileInputStream(SharedFile file, long start, long end, int bufferSize) throws IOException {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be positive: " + bufferSize);
        }
        this.file = file;
        this.start = start;
        this.end = end < 0 ? file.length() : end;
        this.bufferSize = bufferSize;
        this.position = start;
        this.mark = start;
    }

    @Override
    public int read() throws IOException {
        if (!buffered(position) && !fill()) {
            return -1;
        }
        return buffer[(int) (position++ - bufferStart)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!buffered(position)) {
            long left = end - position;
            if (left <= 0) {
                atEnd();
                return -1;
            }
            if (len >= bufferSize) { // a large read goes straight into the caller's array
                int n = file.read(position, b, off, (int) Math.min(len, left));
                position += n;
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = (int) Math.min(len, bufferStart + bufferLength - position);
        System.arraycopy(buffer, (int) (position - bufferStart), b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, end - position));
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public void mark(int readLimit) {
        mark = position;
    }

    @Override
    public void reset() {
        position = mark;
    }

    /** Where this stream is, counted from its own start. */
    @Override
    public long getPosition() {
        return position - start;
    }

    /**
     * A stream over {@code [from, to)} of this one (positions counted from this stream's start; {@code to == -1}
     * means this stream's end), sharing the file; it allocates no buffer before its first read.
     */
    @Override
    public InputStream newStream(long from, long to) {
        if (from < 0) {
            throw new IllegalArgumentException("start < 0: " + from);
        }
        long absoluteEnd = to == -1 ? end : start + to;
        if (absoluteEnd < start + from || absoluteEnd > end) {
            throw new IllegalArgumentException("end " + to + " outside of the stream");
        }
        file.retain();
        try {
            return new LeanSharedFileInputStream(file, start + from, absoluteEnd, bufferSize);
        } catch (IOException e) {
            throw new IllegalStateException(e); // not reached: the length is known
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            buffer = null;
            file.release();
        }
    }

    /**
     * Closes the file now, for this stream and every stream taken from it: for the owner of the file when it is done
     * with it (a spooled message at the end of its run), so that the descriptor does not stay open until the
     * garbage collector finds the sub-streams nobody closed. Reading any of them afterwards fails.
     */
    public void closeFile() {
        closed = true;
        buffer = null;
        file.closeNow();
    }

    private boolean buffered(long at) {
        return buffer != null && at >= bufferStart && at < bufferStart + bufferLength;
    }

    /** Reads ahead from {@link #position}; false at the end (the buffer is then dropped). */
    private boolean fill() throws IOException {
        long left = end - position;
        if (left <= 0) {
            atEnd();
            return false;
        }
        if (closed) {
            throw new IOException("stream closed");
        }
        if (buffer == null) {
            buffer = new byte[(int) Math.min(bufferSize, end - start)];
        }
        bufferStart = position;
        bufferLength = file.read(position, buffer, 0, (int) Math.min(buffer.length, left));
        return true;
    }

    private void atEnd() {
        buffer = null;
        bufferLength = 0;
    }

    /** The descriptor all streams of one file share; closed with the last stream (or by the cleaner). */
    private static final class SharedFile {
        private final RandomAccessFile raf;
        private final AtomicInteger streams = new AtomicInteger(1);
        private final Cleaner.Cleanable cleanable;

        SharedFile(RandomAccessFile raf) {
            this.raf = raf;
            this.cleanable = CLEANER.register(this, new Closer(raf));
        }

        long length() throws IOException {
            synchronized (raf) {
                return raf.length();
            }
        }

        /** Reads at least one byte at {@code at} (the caller checked that there is one). */
        int read(long at, byte[] b, int off, int len) throws IOException {
            synchronized (raf) {
                raf.seek(at);
                int n = raf.read(b, off, len);
                if (n <= 0) {
                    throw new IOException("file ended early (truncated while being read?)");
                }
                return n;
            }
        }

        void retain() {
            streams.incrementAndGet();
        }

        void release() {
            if (streams.decrementAndGet() == 0) {
                cleanable.clean();
            }
        }

        void closeNow() {
            cleanable.clean(); // runs the closer once, however often it is called
        }
    }

    /** Closes the file; holds no reference to the {@link SharedFile} it cleans up after. */
    private record Closer(RandomAccessFile raf) implements Runnable {
        @Override
        public void run() {
            try {
                raf.close();
            } catch (IOException e) {
                // nothing left to tell: every stream of this file is gone
            }
        }
    }
}
