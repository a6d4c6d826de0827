package org.smimegw.gateway.delivery;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected SMTP transports kept per next hop, so consecutive messages to the same route reuse one connection
 * (EHLO, STARTTLS and AUTH once). At most {@code maxOpen} connections are open (leased + idle): {@link #borrow}
 * waits for a release when all are leased; {@link #borrowIdle} (the pipeline's immediate delivery) only takes an
 * idle one and never waits. An idle connection is closed after {@code idleTimeout} or when a connection to another
 * route is needed.
 */
final class TransportPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransportPool.class);

    /**
     * A connected transport lent to one worker; {@code reused} means it came from the pool (with or without a NOOP
     * check), so a failure on it before the mail transaction started is the connection's, not the message's.
     */
    record Lease(DeliveryConfig.Route route, EnvelopeTransport transport, boolean reused) {
    }

    /** Idle connections younger than this are reused without a NOOP round trip. */
    private static final long TRUST_IDLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private record Idle(EnvelopeTransport transport, long sinceNanos) {
    }

    private final DeliveryConfig config;
    private final String heloName;
    private final PasswordSource passwords;
    private final int maxOpen;
    private final long idleNanos;
    /** Sessions by what their properties depend on (not the host: MX hosts are many, the settings are few). */
    private final Map<SessionKey, Session> sessions = new ConcurrentHashMap<>();
    private final Map<DeliveryConfig.Route, Deque<Idle>> idle = new HashMap<>();
    private final NoDelaySocketFactory noDelaySockets = new NoDelaySocketFactory();
    private int open;
    private boolean closed;

    TransportPool(DeliveryConfig config, String heloName, PasswordSource passwords, int maxOpen, Duration idleTimeout) {
        this.config = config;
        this.heloName = heloName;
        this.passwords = passwords;
        this.maxOpen = maxOpen;
        this.idleNanos = idleTimeout.toNanos();
    }

    /**
     * A connected transport to the route: a pooled one that still answers NOOP, else a new connection (waiting
     * until one is released if {@code maxOpen} are leased).
     */
    Lease borrow(DeliveryConfig.Route route) throws MessagingException {
        return borrow(route, false);
    }

    /**
     * A pooled connection to the route that is idle right now (checked with NOOP if idle for a while), or null if
     * there is none; never connects and never waits.
     */
    Lease borrowIdle(DeliveryConfig.Route route) throws MessagingException {
        return borrow(route, true, false);
    }

    /**
     * A new connection to the route, never a pooled one: for the message a pooled connection failed on before its
     * transaction started (the other idle connections to that route may be dead the same way).
     */
    Lease borrowNew(DeliveryConfig.Route route) throws MessagingException {
        return borrow(route, false, true);
    }

    private Lease borrow(DeliveryConfig.Route route, boolean idleOnly) throws MessagingException {
        return borrow(route, idleOnly, false);
    }

    private Lease borrow(DeliveryConfig.Route route, boolean idleOnly, boolean fresh) throws MessagingException {
        while (true) {
            EnvelopeTransport reused = null;
            long idleSince = 0;
            List<EnvelopeTransport> evicted = new ArrayList<>();
            synchronized (this) {
                while (true) {
                    if (closed) {
                        throw new MessagingException("delivery is shutting down");
                    }
                    Deque<Idle> free = idle.get(route);
                    if (!fresh && free != null && !free.isEmpty()) {
                        Idle last = free.pollLast();
                        reused = last.transport();
                        idleSince = last.sinceNanos();
                        break;
                    }
                    if (idleOnly) {
                        return null;
                    }
                    while (open >= maxOpen) {
                        EnvelopeTransport victim = pollOldestIdle();
                        if (victim == null) {
                            break;
                        }
                        evicted.add(victim);
                        open--;
                    }
                    if (open < maxOpen) {
                        open++;
                        break;
                    }
                    try {
                        wait(); // every connection is leased (workers and pipeline threads): wait for a release
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new MessagingException("interrupted while waiting for an SMTP connection", e);
                    }
                }
            }
            evicted.forEach(TransportPool::closeQuietly);
            if (reused == null) {
                try {
                    return new Lease(route, connect(route), false);
                } catch (MessagingException | RuntimeException e) {
                    synchronized (this) {
                        open--;
                        notifyAll();
                    }
                    throw e;
                }
            }
            if (System.nanoTime() - idleSince < TRUST_IDLE_NANOS) {
                return new Lease(route, reused, true);
            }
            if (reused.isConnected()) { // NOOP: the server may have dropped a connection that was idle a while
                return new Lease(route, reused, true);
            }
            closeQuietly(reused);
            synchronized (this) {
                open--;
                notifyAll();
            }
        }
    }

    /** Returns a transport after use; a connection in an unknown state ({@code reusable == false}) is closed. */
    void release(Lease lease, boolean reusable) {
        synchronized (this) {
            notifyAll(); // a waiting borrower may reuse or evict this connection, or open a new one
            if (reusable && !closed) {
                idle.computeIfAbsent(lease.route(), r -> new ArrayDeque<>())
                        .addLast(new Idle(lease.transport(), System.nanoTime()));
                return;
            }
            open--;
        }
        closeQuietly(lease.transport());
    }

    /** Closes connections idle for longer than the idle timeout. */
    void closeIdle() {
        List<EnvelopeTransport> expired = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (this) {
            for (Deque<Idle> free : idle.values()) {
                while (!free.isEmpty() && now - free.peekFirst().sinceNanos() > idleNanos) {
                    expired.add(free.pollFirst().transport());
                    open--;
                }
            }
            if (!expired.isEmpty()) {
                notifyAll();
            }
        }
        expired.forEach(TransportPool::closeQuietly);
    }

    synchronized int openConnections() {
        return open;
    }

    @Override
    public void close() {
        List<EnvelopeTransport> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            notifyAll();
            idle.values().forEach(free -> free.forEach(i -> all.add(i.transport())));
            open -= all.size();
            idle.clear();
        }
        all.forEach(TransportPool::closeQuietly);
    }

    private EnvelopeTransport pollOldestIdle() {
        Deque<Idle> oldest = null;
        for (Deque<Idle> free : idle.values()) {
            if (!free.isEmpty() && (oldest == null || free.peekFirst().sinceNanos() < oldest.peekFirst().sinceNanos())) {
                oldest = free;
            }
        }
        return oldest == null ? null : oldest.pollFirst().transport();
    }

    private EnvelopeTransport connect(DeliveryConfig.Route route) throws MessagingException {
        Session session = sessions.computeIfAbsent(new SessionKey(route.starttls(), route.username() != null),
                this::newSession);
        EnvelopeTransport transport = new EnvelopeTransport(session, new URLName("smtp", null, -1, null, null, null));
        String password = null;
        if (route.username() != null) {
            try {
                password = passwords.passwordFor(route);
            } catch (IOException e) {
                throw new MessagingException("cannot read SMTP AUTH password: " + e.getMessage(), e);
            }
        }
        transport.connect(route.host(), route.port(), route.username(), password);
        log.debug("connected to {}", route.hostAndPort());
        return transport;
    }

    private record SessionKey(DeliveryConfig.StartTls starttls, boolean auth) {
    }

    /** Session properties; host, port and credentials are given to each {@code connect}. */
    private Session newSession(SessionKey key) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.connectiontimeout", String.valueOf(config.connectTimeoutSeconds() * 1000L));
        p.setProperty("mail.smtp.timeout", String.valueOf(config.timeoutSeconds() * 1000L));
        if (heloName != null) {
            p.setProperty("mail.smtp.localhost", heloName);
        }
        // per-recipient outcomes: go on with the accepted recipients; failures only are reported (as exceptions),
        // a normal return means every recipient was accepted (see SmtpOutcomes) - no exception chain per success
        p.setProperty("mail.smtp.sendpartial", "true");
        p.setProperty("mail.smtp.reportsuccess", "false");
        p.setProperty("mail.smtp.quitwait", "false");
        p.put("mail.smtp.socketFactory", noDelaySockets);
        p.setProperty("mail.smtp.socketFactory.fallback", "false");
        switch (key.starttls()) {
            case OFF -> p.setProperty("mail.smtp.starttls.enable", "false");
            case OPPORTUNISTIC -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "false");
                // encryption without authentication, as Postfix "may" (Angus checks the host name by default)
                p.setProperty("mail.smtp.ssl.trust", "*");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "false");
            }
            case REQUIRED -> {
                p.setProperty("mail.smtp.starttls.enable", "true");
                p.setProperty("mail.smtp.starttls.required", "true");
                p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            }
        }
        p.setProperty("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.setProperty("mail.smtp.auth", String.valueOf(key.auth()));
        return Session.getInstance(p);
    }

    private static void closeQuietly(EnvelopeTransport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            log.debug("closing SMTP connection failed: {}", e.toString());
        }
    }
}
