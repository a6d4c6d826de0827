package org.smimegw.bench.load;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one message template over N concurrent SMTP sessions (reusing each connection unless told otherwise,
 * pipelining MAIL/RCPT/DATA when the server offers PIPELINING), each message with a unique {@code X-Bench-Id}
 * header. Measures the accept latency (final dot written → 250 read) and the accept time of each message.
 */
public final class LoadGenerator {

    private static final int TIMEOUT_MILLIS = 300_000;
    private static final int MAX_ERRORS = 10;

    private final MessageTemplate template;

    public LoadGenerator(MessageTemplate template) {
        this.template = template;
    }

    public MessageTemplate template() {
        return template;
    }

    public LoadRun run(LoadSpec spec) throws InterruptedException {
        Shared shared = new Shared(spec);
        List<Thread> threads = new ArrayList<>();
        List<SessionResult> results = Collections.synchronizedList(new ArrayList<>());
        shared.start = System.nanoTime();
        shared.deadline = shared.start + spec.duration().toNanos();
        for (int i = 0; i < spec.sessions(); i++) {
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> results.add(new Client(shared).loop())));
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        long accepted = 0;
        long failed = 0;
        long bytes = 0;
        LongList latencies = new LongList();
        for (SessionResult r : results) {
            accepted += r.accepted;
            failed += r.failed;
            bytes += r.bytes;
            for (long l : r.latencies.toArray()) {
                latencies.add(l);
            }
        }
        return new LoadRun(shared.start, end, accepted, failed, bytes, latencies.toArray(), shared.acceptTimes,
                shared.connections.get(), List.copyOf(shared.errors));
    }

    private static final class Shared {
        final LoadSpec spec;
        final AtomicLong tickets = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        final Map<String, Long> acceptTimes = new ConcurrentHashMap<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final long intervalNanos;
        long start;
        long deadline;

        Shared(LoadSpec spec) {
            this.spec = spec;
            this.intervalNanos = spec.ratePerSecond() > 0 ? (long) (1e9 / spec.ratePerSecond()) : 0;
        }

        void error(String text) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(text);
            }
        }
    }

    private static final class SessionResult {
        long accepted;
        long failed;
        long bytes;
        final LongList latencies = new LongList();
    }

    /** One client session: connects, sends messages while tickets last, reconnects after a failure. */
    private final class Client {
        private final Shared shared;
        private final SessionResult result = new SessionResult();
        private final byte[] buf = new byte[8192];
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private int pos;
        private int limit;
        private boolean pipelining;
        private String lastReply;

        Client(Shared shared) {
            this.shared = shared;
        }

        SessionResult loop() {
            LoadSpec spec = shared.spec;
            try {
                while (true) {
                    long n = shared.tickets.getAndIncrement();
                    if (spec.maxMessages() > 0 && n >= spec.maxMessages()) {
                        break;
                    }
                    long now = System.nanoTime();
                    if (shared.intervalNanos > 0) {
                        long due = shared.start + n * shared.intervalNanos;
                        if (due >= shared.deadline) {
                            break;
                        }
                        while ((now = System.nanoTime()) < due) {
                            LockSupport.parkNanos(due - now);
                        }
                    }
                    if (now >= shared.deadline) {
                        break;
                    }
                    String id = spec.idPrefix() + "-" + n;
                    try {
                        if (socket == null) {
                            connect();
                        }
                        send(id);
                        if (spec.reconnectEachMessage()) {
                            quit();
                        }
                    } catch (IOException e) {
                        result.failed++;
                        shared.error(id + ": " + e);
                        closeQuietly();
                        LockSupport.parkNanos(10_000_000L);
                    }
                }
                if (socket != null) {
                    quit();
                }
            } catch (IOException e) {
                closeQuietly();
            }
            return result;
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(shared.spec.host(), shared.spec.port()), TIMEOUT_MILLIS);
            shared.connections.incrementAndGet();
            in = socket.getInputStream();
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            pos = 0;
            limit = 0;
            expect(readReply(), 220, "greeting");
            write("EHLO bench.example\r\n");
            out.flush();
            expect(readReply(), 250, "EHLO");
            pipelining = lastReply.toUpperCase(java.util.Locale.ROOT).contains("PIPELINING");
        }

        private void send(String id) throws IOException {
            List<String> rcpts = template.recipients();
            StringBuilder envelope = new StringBuilder();
            if (pipelining) {
                envelope.append("MAIL FROM:<").append(template.sender()).append(">\r\n");
                for (String r : rcpts) {
                    envelope.append("RCPT TO:<").append(r).append(">\r\n");
                }
                envelope.append("DATA\r\n");
                write(envelope.toString());
                out.flush();
                boolean ok = readReply() == 250;
                for (int i = 0; i < rcpts.size(); i++) {
                    ok &= readReply() == 250;
                }
                int data = readReply();
                if (data != 354) {
                    refused(id, "MAIL/RCPT/DATA");
                    if (data == 250 || data / 100 == 3) {
                        throw new IOException("out of sync after " + lastReply);
                    }
                    rset();
                    return;
                }
                if (!ok) {
                    throw new IOException("server accepted DATA after refusing MAIL/RCPT: " + lastReply);
                }
            } else {
                write("MAIL FROM:<" + template.sender() + ">\r\n");
                out.flush();
                if (readReply() != 250) {
                    refused(id, "MAIL");
                    rset();
                    return;
                }
                for (String r : rcpts) {
                    write("RCPT TO:<" + r + ">\r\n");
                    out.flush();
                    if (readReply() != 250) {
                        refused(id, "RCPT");
                        rset();
                        return;
                    }
                }
                write("DATA\r\n");
                out.flush();
                if (readReply() != 354) {
                    refused(id, "DATA");
                    rset();
                    return;
                }
            }
            write("X-Bench-Id: " + id + "\r\n");
            out.write(template.content());
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long sent = System.nanoTime();
            int code = readReply();
            long accepted = System.nanoTime();
            if (code == 250) {
                result.accepted++;
                result.bytes += template.content().length;
                result.latencies.add(accepted - sent);
                shared.acceptTimes.put(id, accepted);
            } else {
                refused(id, "end of DATA");
            }
        }

        private void refused(String id, String stage) {
            result.failed++;
            shared.error(id + ": " + stage + " refused: " + lastReply);
        }

        private void rset() throws IOException {
            write("RSET\r\n");
            out.flush();
            readReply();
        }

        private void quit() throws IOException {
            try {
                write("QUIT\r\n");
                out.flush();
                readReply();
            } finally {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
        }

        private void expect(int code, int wanted, String stage) throws IOException {
            if (code != wanted) {
                throw new IOException(stage + ": " + lastReply);
            }
        }

        /** Reads a whole (possibly multi-line) reply; returns its code and keeps its text in lastReply. */
        private int readReply() throws IOException {
            StringBuilder text = new StringBuilder();
            while (true) {
                String line = readLine();
                text.append(line).append('\n');
                if (line.length() < 4 || line.charAt(3) != '-') {
                    lastReply = text.toString().trim();
                    try {
                        return Integer.parseInt(line.substring(0, Math.min(3, line.length())));
                    } catch (NumberFormatException e) {
                        throw new IOException("bad reply: " + line);
                    }
                }
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf);
                    if (n <= 0) {
                        throw new IOException("connection closed by server");
                    }
                    pos = 0;
                    limit = n;
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') {
                        sb.setLength(len - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) b);
            }
        }
    }
}
