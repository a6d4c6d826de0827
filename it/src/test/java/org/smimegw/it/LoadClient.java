package org.smimegw.it;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP client as a sending mail server behaves: several connections at once through the load balancer, a few
 * messages per connection, and every message that did not get its final {@code 250} sent again on a new connection
 * (so a node that dies mid-transaction costs a retry, never a message). Connects from {@code local}, so the gateway
 * judges that address (through the PROXY header).
 */
final class LoadClient {
    private static final int MESSAGES_PER_CONNECTION = 20;

    private final int port;
    private final InetAddress local;
    private final String from;
    private final String to;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong retries = new AtomicLong();
    /** message number -> host name in the greeting of the node that accepted it */
    private final Map<Integer, String> acceptedBy = new ConcurrentHashMap<>();

    LoadClient(int port, InetAddress local, String from, String to) {
        this.port = port;
        this.local = local;
        this.from = from;
        this.to = to;
    }

    int accepted() {
        return accepted.get();
    }

    long retries() {
        return retries.get();
    }

    Map<Integer, String> acceptedBy() {
        return acceptedBy;
    }

    /** Sends messages {@code 0..count-1} on {@code threads} connections at a time; returns when all were accepted. */
    void send(int count, int threads) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    sendWithRetries(n);
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(15, TimeUnit.MINUTES)) {
            throw new IllegalStateException("load did not finish");
        }
    }

    /** Each sending thread's connection and how many messages it carried. */
    private static final class Connection {
        final SmtpSession session;
        int sent;

        Connection(SmtpSession session) {
            this.session = session;
        }

        void close() {
            try {
                session.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }

    private final ThreadLocal<Connection> connection = new ThreadLocal<>();

    private void sendWithRetries(int n) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (true) {
            try {
                Connection c = connection.get();
                if (c == null || c.sent >= MESSAGES_PER_CONNECTION) {
                    if (c != null) {
                        c.close();
                    }
                    c = new Connection(new SmtpSession(port, local));
                    connection.set(c);
                }
                String reply = c.session.transaction(from, to, message(n, from, to));
                if (!reply.startsWith("250")) {
                    throw new IOException("message " + n + ": " + reply);
                }
                c.sent++;
                acceptedBy.put(n, c.session.serverName());
                accepted.incrementAndGet();
                return;
            } catch (IOException e) {
                Connection c = connection.get();
                if (c != null) {
                    c.close();
                    connection.remove();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("message " + n + " not accepted within 5 minutes: " + e);
                }
                retries.incrementAndGet();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    static String message(int n, String from, String to) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: cluster load " + n + "\r\nMessage-ID: <" + n
                + ".load@client.test>\r\nX-Test-Id: " + n + "\r\n\r\n"
                + ("line of the message body number " + n + "\r\n").repeat(30);
    }
}
