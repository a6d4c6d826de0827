package org.smimegw.bench.smtp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fast SMTP sink on loopback: one virtual thread per connection, answers 250 to everything (354 to DATA, 221 to
 * QUIT), supports pipelining (replies are flushed only when no further command is already buffered), and records
 * the arrival time ({@link System#nanoTime()}) of each message by the value of the first {@code X-Bench-Id:} header
 * in its top-level header section. The message content is scanned, never stored.
 */
public final class SmtpSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSink.class);
    private static final byte[] BENCH_ID = "x-bench-id:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER_LINE = 1000;
    /** Top-level headers whose values are counted (first line, up to ';'), to check what the relay did. */
    private static final List<byte[]> COUNTED = java.util.stream.Stream.of("content-type:", "x-smime-status:",
            "x-smime-decryption:", "x-bench-unencrypted:").map(h -> h.getBytes(StandardCharsets.US_ASCII)).toList();

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final Map<String, java.util.concurrent.atomic.LongAdder> headerValues = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SmtpSink(ServerSocket server) {
        this.server = server;
    }

    /** Starts a sink on 127.0.0.1 and an ephemeral port. */
    public static SmtpSink start() throws IOException {
        return start(0);
    }

    /** Starts a sink on 127.0.0.1:{@code port} (0: ephemeral). */
    public static SmtpSink start(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        SmtpSink sink = new SmtpSink(server);
        Thread.ofPlatform().daemon().name("smtp-sink-accept").start(sink::acceptLoop);
        return sink;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Messages received (every end of DATA). */
    public long messages() {
        return messages.get();
    }

    /** Messages whose X-Bench-Id had been seen before (e.g. a mail split per recipient). */
    public long duplicates() {
        return duplicates.get();
    }

    /** Bytes of message content received (between DATA and the final dot). */
    public long bytes() {
        return bytes.get();
    }

    /** SMTP connections accepted so far. */
    public long sessions() {
        return sessions.get();
    }

    /** The first arrival time (nanoTime) of a bench id, or null. */
    public Long arrival(String benchId) {
        return arrivals.get(benchId);
    }

    public int arrivedIds() {
        return arrivals.size();
    }

    /**
     * How often each value of the counted top-level headers (Content-Type without parameters, X-SMIME-Status,
     * X-SMIME-Decryption, X-Bench-Unencrypted) was seen, e.g. {@code "content-type: application/pkcs7-mime" -> 120}.
     */
    public Map<String, Long> headerCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        headerValues.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Forgets recorded arrivals and counters (between phases of a run). */
    public void reset() {
        arrivals.clear();
        headerValues.clear();
        messages.set(0);
        duplicates.set(0);
        bytes.set(0);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sessions.incrementAndGet();
                connections.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("sink accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream();
             OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4096)) {
            Session session = new Session(in, out);
            session.run();
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("sink session ended: {}", e.toString());
            }
        } finally {
            connections.remove(socket);
        }
    }

    /** One SMTP session over a private input buffer. */
    private final class Session {
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Session(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void run() throws IOException {
            reply("220 sink.bench ESMTP");
            out.flush();
            byte[] line = new byte[1024];
            while (true) {
                int n = readCommand(line);
                if (n < 0) {
                    return;
                }
                String cmd = new String(line, 0, Math.min(n, 4), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
                switch (cmd) {
                    case "EHLO" -> reply("250-sink.bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 0\r\n250 OK");
                    case "DATA" -> {
                        reply("354 go ahead");
                        out.flush();
                        if (!receiveData()) {
                            return;
                        }
                        reply("250 2.0.0 Ok: queued");
                    }
                    case "QUIT" -> {
                        reply("221 2.0.0 Bye");
                        out.flush();
                        return;
                    }
                    default -> reply("250 2.0.0 Ok");
                }
                if (pos == limit) { // nothing pipelined behind this command: answer now
                    out.flush();
                }
            }
        }

        private void reply(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.write('\r');
            out.write('\n');
        }

        private boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        /** Reads one command line (without CRLF) into {@code line}, truncated at its size; -1 at end of stream. */
        private int readCommand(byte[] line) throws IOException {
            int n = 0;
            while (true) {
                if (!fill()) {
                    return -1;
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                }
                if (n < line.length) {
                    line[n++] = b;
                }
            }
        }

        /**
         * Consumes message content up to CRLF.CRLF, looking for X-Bench-Id in the header section. False at end
         * of stream.
         */
        private boolean receiveData() throws IOException {
            final int lineStart = 0, dot = 1, dotCr = 2, mid = 3, cr = 4;
            int state = lineStart;
            boolean inHeaders = true;
            byte[] header = new byte[MAX_HEADER_LINE];
            int headerLen = 0;
            String id = null;
            long count = 0;
            while (true) {
                if (!fill()) {
                    return false;
                }
                int start = pos;
                int end = limit;
                int i = start;
                boolean done = false;
                for (; i < end; i++) {
                    byte b = buf[i];
                    if (inHeaders) {
                        if (b == '\n') {
                            int len = headerLen > 0 && header[headerLen - 1] == '\r' ? headerLen - 1 : headerLen;
                            if (len == 0) {
                                inHeaders = false;
                            } else if (id == null && startsWithIgnoreCase(header, len, BENCH_ID)) {
                                id = new String(header, BENCH_ID.length, len - BENCH_ID.length,
                                        StandardCharsets.US_ASCII).trim();
                            } else {
                                countHeader(header, len);
                            }
                            headerLen = 0;
                        } else if (headerLen < header.length) {
                            header[headerLen++] = b;
                        }
                    }
                    switch (state) {
                        case lineStart -> state = b == '.' ? dot : b == '\r' ? cr : mid;
                        case dot -> state = b == '\r' ? dotCr : mid;
                        case dotCr -> {
                            if (b == '\n') {
                                done = true;
                            } else {
                                state = b == '\r' ? cr : mid;
                            }
                        }
                        case cr -> state = b == '\n' ? lineStart : b == '\r' ? cr : mid;
                        default -> {
                            if (b == '\r') {
                                state = cr;
                            }
                        }
                    }
                    if (done) {
                        i++;
                        break;
                    }
                }
                count += i - start;
                pos = i;
                if (done) {
                    long now = System.nanoTime();
                    messages.incrementAndGet();
                    bytes.addAndGet(count);
                    if (id != null && arrivals.putIfAbsent(id, now) != null) {
                        duplicates.incrementAndGet();
                    }
                    return true;
                }
            }
        }
    }

    private void countHeader(byte[] line, int len) {
        for (byte[] name : COUNTED) {
            if (startsWithIgnoreCase(line, len, name)) {
                String value = new String(line, name.length, len - name.length, StandardCharsets.US_ASCII);
                int semi = value.indexOf(';');
                value = (semi >= 0 ? value.substring(0, semi) : value).trim().toLowerCase(Locale.ROOT);
                String key = new String(name, 0, name.length - 1, StandardCharsets.US_ASCII) + ": " + value;
                headerValues.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder()).increment();
                return;
            }
        }
    }

    private static boolean startsWithIgnoreCase(byte[] line, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            byte b = line[i];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b + 32);
            }
            if (b != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
