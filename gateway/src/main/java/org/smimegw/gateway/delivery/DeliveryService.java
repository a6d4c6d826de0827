package org.smimegw.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;

/**
 * Delivers the OUTGOING spool area to next hops over SMTP. {@code maxConnections} workers take due entries from an
 * in-memory schedule (filled by a scan of OUTGOING at {@link #start()} and by {@link #submit} when the pipeline
 * queues a mail); each entry's recipients are grouped by next hop ({@link RouteResolver}) and sent over pooled
 * connections; for direct delivery the domain's MX hosts ({@link MxResolver}) are tried in order until one takes the
 * connection. Per recipient:
 * 2xx delivered; 4xx or no connection deferred with exponential back-off (attempts and next attempt are stored in
 * the envelope attributes); 5xx or queue lifetime exceeded bounce with one RFC 3464 DSN per attempt, injected into
 * INCOMING with the null sender (never for a null-sender message), to the recipients whose NOTIFY asks for it (delay
 * and relay notices likewise, see {@link AttemptConclusion}). The entry is deleted when no recipient remains.
 * <p>
 * {@link #deliverNow} is the fast path for the pipeline: one attempt on the caller's thread over connections that
 * are idle in the pool right now, concluded by the same {@link AttemptConclusion} as the workers' attempts.
 */
public final class DeliveryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    /** Envelope attribute: number of attempts that ended with deferred recipients. */
    public static final String ATTR_ATTEMPTS = "delivery.attempts";
    /** Envelope attribute: ISO-8601 instant of the next attempt. */
    public static final String ATTR_NEXT_ATTEMPT = "delivery.nextAttempt";
    /** Envelope attribute: ISO-8601 instant the message entered OUTGOING (start of the queue lifetime). */
    public static final String ATTR_QUEUED_AT = "delivery.queuedAt";
    /** Envelope attribute: reason of the last deferral (status and diagnostic). */
    public static final String ATTR_LAST_ERROR = "delivery.lastError";
    /** Envelope attribute: present once the sender was told that the remaining recipients are delayed. */
    public static final String ATTR_DELAY_REPORTED = "delivery.delayReported";
    /** MDC key holding the queue id while an entry is handled. */
    public static final String MDC_QUEUE_ID = "queueId";

    private static final Duration SPOOL_ERROR_RETRY = Duration.ofSeconds(30);

    private final DeliveryConfig config;
    private final Spool spool;
    private final Clock clock;
    private final RouteResolver routes;
    private final MxResolver mx;
    private final TransportPool pool;
    private final AttemptConclusion conclusion;
    private final NextHopHealth nextHops;
    private final Session parseSession = Session.getInstance(new Properties());

    private final Timer attempt;
    private final Counter immediateAttempts;
    private final Counter reconnected;

    private final DelayQueue<Scheduled> schedule = new DelayQueue<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private ScheduledExecutorService housekeeping;
    private volatile boolean running;

    /**
     * @param config         delivery configuration
     * @param spool          the spool; entries are read from OUTGOING and bounces written to INCOMING
     * @param dsnFactory     builds the bounce messages
     * @param metrics        receives delivery.delivered/deferred/bounced/immediate/reconnected counters and the delivery.attempt
     *                       timer
     * @param clock          time source for back-off, lifetime and DSN dates
     * @param environment    environment lookup for SMTP AUTH passwords ({@code System::getenv})
     * @param onBounceQueued told about every DSN stored in INCOMING (wake the pipeline); may be a no-op
     */
    public DeliveryService(DeliveryConfig config, Spool spool, DsnFactory dsnFactory, MetricRegistry metrics,
                           Clock clock, Function<String, String> environment, Consumer<SpoolEntry> onBounceQueued) {
        this.config = config;
        this.spool = spool;
        this.clock = clock;
        this.routes = new RouteResolver(config);
        this.mx = new MxResolver(config.mx());
        this.pool = new TransportPool(config, config.heloName(), new PasswordSource(environment),
                config.maxConnections(), Duration.ofSeconds(config.idleTimeoutSeconds()));
        this.nextHops = new NextHopHealth(clock);
        this.conclusion = new AttemptConclusion(config,
                new DsnMailBouncer(spool, dsnFactory, DsnFactory.mta(config.heloName()), clock, onBounceQueued), clock,
                metrics, nextHops);
        this.immediateAttempts = metrics.counter("delivery.immediate");
        this.reconnected = metrics.counter("delivery.reconnected");
        // lock-free reservoir: the default one takes a lock and a skip-list insert for every attempt
        this.attempt = metrics.timer("delivery.attempt",
                () -> new Timer(com.codahale.metrics.LockFreeExponentiallyDecayingReservoir.builder().build()));
        metrics.remove("delivery.queue.size"); // a restarted service replaces the gauge of its predecessor
        metrics.register("delivery.queue.size", (com.codahale.metrics.Gauge<Integer>) known::size);
    }

    /** Since when every attempt to a next hop has failed (for the readiness check). */
    public NextHopHealth nextHops() {
        return nextHops;
    }

    /** Production defaults: passwords from the process environment, no bounce notification hook. */
    public DeliveryService(DeliveryConfig config, Spool spool, MetricRegistry metrics, Clock clock) {
        this(config, spool, new DsnFactory(clock), metrics, clock, System::getenv, entry -> { });
    }

    /** Schedules every entry of OUTGOING (at its stored next-attempt time) and starts the workers. */
    public synchronized void start() throws SpoolException {
        if (running) {
            return;
        }
        running = true;
        Instant now = clock.instant();
        for (SpoolEntry entry : spool.list(SpoolArea.OUTGOING)) {
            Instant due = nextAttempt(entry.envelope()).orElse(now);
            if (known.add(entry.id())) {
                schedule.add(new Scheduled(entry, Duration.between(now, due)));
            }
        }
        log.info("delivery started: {} queued, {} workers", known.size(), config.maxConnections());
        for (int i = 0; i < config.maxConnections(); i++) {
            Thread worker = Thread.ofPlatform().name("delivery-" + i).daemon(true).unstarted(this::work);
            workers.add(worker);
            worker.start();
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("delivery-idle-close").daemon(true).unstarted(r));
        // idle connections are closed within 1.25 x the idle timeout, well before the next hop's own
        long period = Math.max(250, TimeUnit.SECONDS.toMillis(config.idleTimeoutSeconds()) / 4);
        housekeeping.scheduleWithFixedDelay(pool::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Schedules a newly queued OUTGOING entry: at once (wakes a worker), or at its {@link #ATTR_NEXT_ATTEMPT} if the
     * envelope has one (recipients deferred by {@link #deliverNow}).
     */
    public void submit(SpoolEntry entry) {
        if (known.add(entry.id())) {
            Optional<Instant> due = entry.envelope().attributes().containsKey(ATTR_NEXT_ATTEMPT)
                    ? nextAttempt(entry.envelope()) : Optional.empty();
            schedule.add(new Scheduled(entry, due.map(t -> Duration.between(clock.instant(), t)).orElse(Duration.ZERO)));
        }
    }

    /**
     * What {@link #deliverNow} left for the OUTGOING queue; each envelope is null when nothing is left of its kind.
     *
     * @param untried  recipients not attempted (no idle connection to their route right now): queue them as new
     * @param deferred recipients deferred by the attempt, with {@link #ATTR_ATTEMPTS}, {@link #ATTR_NEXT_ATTEMPT},
     *                 {@link #ATTR_QUEUED_AT} and {@link #ATTR_LAST_ERROR} set for the retry schedule
     */
    public record Leftover(Envelope untried, Envelope deferred) {
        /** Nothing was attempted: everything goes to the queue as it is. */
        static Leftover untried(Envelope envelope) {
            return new Leftover(envelope, null);
        }
    }

    /** Recipients grouped by next hop, in order; those without one are added to {@code results} as failed. */
    private Map<NextHop, List<String>> byNextHop(List<String> recipients, List<RecipientResult> results) {
        Map<NextHop, List<String>> byNextHop = new LinkedHashMap<>();
        for (String recipient : recipients) {
            Optional<NextHop> hop = routes.nextHopFor(recipient);
            if (hop.isPresent()) {
                byNextHop.computeIfAbsent(hop.get(), r -> new ArrayList<>()).add(recipient);
            } else {
                results.add(unroutable(recipient));
            }
        }
        return byNextHop;
    }

    /** One address to connect to, and how log lines name it. */
    private record Hop(DeliveryConfig.Route route, String name) {
        static Hop of(DeliveryConfig.Route route) {
            return new Hop(route, route.hostAndPort());
        }
    }

    /**
     * Fast path for the pipeline: one delivery attempt on the caller's thread for the recipients whose route has a
     * pooled connection idle right now (never opens a connection, never waits for one). Recipients answered 2xx
     * are done, 5xx ones bounce (one DSN to the sender, stored in INCOMING; none for {@code <>}), and deferred
     * ones (4xx, connection failure) come back in {@link Leftover#deferred()} to be stored in OUTGOING for the
     * normal retry schedule; recipients without an idle connection, and those delivered to their domain's MX hosts
     * (no DNS lookup on the pipeline thread), come back untouched in {@link Leftover#untried()}. Outcomes, log
     * lines, DSNs and metrics are those of a worker's attempt.
     * <p>
     * Durability is the caller's: the message must still be durable elsewhere (the pipeline's INCOMING entry, deleted
     * only after the container finished) until the leftovers are stored, so a crash in between repeats delivery
     * (at-least-once) but never loses a recipient.
     *
     * @param envelope the mail's envelope as it would be queued (sender, recipients, MAIL parameters, arrival)
     * @param message  the message; streamed as it is to the next hop ({@code Bcc:} dropped), never modified
     */
    public Leftover deliverNow(Envelope envelope, MimeMessage message) throws SpoolException {
        if (!running || envelope.recipients().isEmpty()) {
            return Leftover.untried(envelope);
        }
        List<RecipientResult> results = new ArrayList<>(envelope.recipients().size());
        Map<NextHop, List<String>> byNextHop = byNextHop(envelope.recipients(), results);
        List<String> untried = new ArrayList<>();
        Map<String, String> relayOf = new HashMap<>();
        Timer.Context timing = attempt.time(); // recorded only if something was attempted
        try {
            SMTPMessage view = new StreamedSmtpMessage(parseSession, message);
            view.setEnvelopeFrom(envelope.hasNullSender() ? "<>" : envelope.sender());
            for (Map.Entry<NextHop, List<String>> group : byNextHop.entrySet()) {
                List<RecipientResult> sent = group.getKey() instanceof NextHop.Relay relay
                        ? send(List.of(Hop.of(relay.route())), view, envelope, group.getValue(), true, relayOf)
                        : null;
                if (sent == null) {
                    untried.addAll(group.getValue());
                } else {
                    results.addAll(sent);
                }
            }
            if (results.isEmpty()) {
                return Leftover.untried(envelope);
            }
            timing.stop();
            immediateAttempts.inc();
            AttemptConclusion.Outcome outcome = conclusion.conclude(envelope, results, relayOf, message);
            return new Leftover(untried.isEmpty() ? null : envelope.withRecipients(untried),
                    outcome.done() ? null : conclusion.retryEnvelope(envelope, outcome));
        } catch (MessagingException e) {
            throw new SpoolException("cannot queue the bounce: " + e.getMessage(), e);
        }
    }

    private static RecipientResult unroutable(String recipient) {
        return RecipientResult.failed(recipient, "5.4.4",
                "no route to the recipient's domain (no delivery.routes entry, no smarthost, no MX lookup)");
    }

    /** Number of OUTGOING entries this service knows about (scheduled or in flight). */
    public int queueSize() {
        return known.size();
    }

    /** Stops the workers (an attempt in progress is interrupted and retried after restart) and closes connections. */
    @Override
    public synchronized void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(config.timeoutSeconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        pool.close();
        schedule.clear();
        known.clear();
    }

    private void work() {
        while (running) {
            Scheduled next;
            try {
                next = schedule.take();
            } catch (InterruptedException e) {
                return;
            }
            MDC.put(MDC_QUEUE_ID, next.entry().id());
            try {
                deliver(next.entry());
            } catch (SpoolException | RuntimeException e) {
                retryAfterSpoolError(next.entry(), e);
            } finally {
                MDC.remove(MDC_QUEUE_ID);
            }
        }
    }

    private void retryAfterSpoolError(SpoolEntry entry, Exception e) {
        try {
            if (spool.find(SpoolArea.OUTGOING, entry.id()).isEmpty()) {
                log.info("removed from the queue meanwhile, not delivering");
                known.remove(entry.id());
                return;
            }
        } catch (SpoolException | RuntimeException findFailure) {
            e.addSuppressed(findFailure);
        }
        log.error("delivery attempt failed on the spool, retrying in {}: {}", SPOOL_ERROR_RETRY, e.toString());
        if (running) {
            schedule.add(new Scheduled(entry, SPOOL_ERROR_RETRY));
        }
    }

    /** Makes every waiting entry due now (like {@code postqueue -f}); entries in flight are not affected. */
    public void flush() {
        List<Scheduled> waiting = new ArrayList<>();
        schedule.drainTo(waiting, Integer.MAX_VALUE); // DelayQueue.drainTo takes only expired ones
        for (Scheduled s : schedule.toArray(new Scheduled[0])) {
            if (schedule.remove(s)) {
                waiting.add(s);
            }
        }
        waiting.forEach(s -> schedule.add(new Scheduled(s.entry(), Duration.ZERO)));
        log.info("queue flushed: {} entries due now", waiting.size());
    }

    private void deliver(SpoolEntry entry) throws SpoolException {
        Envelope envelope = entry.envelope();
        if (envelope.recipients().isEmpty()) {
            finish(entry);
            return;
        }
        List<RecipientResult> results = new ArrayList<>(envelope.recipients().size());
        Map<NextHop, List<String>> byNextHop = byNextHop(envelope.recipients(), results);
        Map<String, String> relayOf = new HashMap<>();
        AttemptConclusion.Outcome outcome;
        // opened through the spool: while it is open, the files of the entry are never reused for another message
        MimeMessage stored = spool.open(entry);
        try {
            Timer.Context timing = attempt.time();
            SMTPMessage message = new StreamedSmtpMessage(parseSession, stored);
            message.setEnvelopeFrom(envelope.hasNullSender() ? "<>" : envelope.sender());
            for (Map.Entry<NextHop, List<String>> group : byNextHop.entrySet()) {
                List<String> recipients = group.getValue();
                switch (group.getKey()) {
                    case NextHop.Relay relay ->
                            results.addAll(send(List.of(Hop.of(relay.route())), message, envelope, recipients, false,
                                    relayOf));
                    case NextHop.Mx direct -> {
                        switch (mx.resolve(direct.domain())) {
                            case MxResolver.Exchangers found ->
                                    results.addAll(send(hops(found), message, envelope, recipients, false, relayOf));
                            case MxResolver.Failure failure -> recipients.forEach(r -> results.add(failure.resultFor(r)));
                        }
                    }
                }
            }
            timing.stop(); // recorded before the entry is deleted, as for immediate attempts
            outcome = conclusion.conclude(entry.envelope(), results, relayOf, stored);
        } catch (MessagingException e) {
            throw new SpoolException("cannot read spooled message " + entry.id() + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(stored);
        }
        apply(entry, outcome);
    }

    private static void closeQuietly(MimeMessage message) {
        if (message instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("closing a spooled message: {}", e.toString());
            }
        }
    }

    /** The MX hosts' addresses as hops on the configured SMTP port, with opportunistic STARTTLS. */
    private List<Hop> hops(MxResolver.Exchangers found) {
        int port = config.mx().port();
        List<Hop> hops = new ArrayList<>(found.addresses().size());
        for (MxResolver.Exchanger e : found.addresses()) {
            DeliveryConfig.Route route = DeliveryConfig.Route.of(e.address().getHostAddress(), port,
                    DeliveryConfig.StartTls.OPPORTUNISTIC);
            hops.add(new Hop(route, e.label() + ":" + port));
        }
        return hops;
    }

    /**
     * One SMTP transaction for the recipients of one next hop, with the envelope's MAIL FROM and RCPT TO parameters
     * as far as the next hop supports them ({@link EnvelopeTransport}), over a connection to the first of {@code hops}
     * that takes it (connect, greeting and EHLO); a hop that does not is skipped for the next (RFC 5321 5.1), and
     * when none does, the recipients are deferred with the last hop's failure. The hop used is recorded in
     * {@code relayOf}. With {@code idleOnly}, only a connection idle in the pool is used (to the first hop); null
     * means none was (or the pooled one turned out closed): nothing was attempted.
     */
    private List<RecipientResult> send(List<Hop> hops, SMTPMessage message, Envelope envelope, List<String> recipients,
                                       boolean idleOnly, Map<String, String> relayOf) {
        List<RecipientResult> results = new ArrayList<>(recipients.size());
        List<String> sendable = new ArrayList<>(recipients.size());
        List<InternetAddress> addresses = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            try {
                addresses.add(new InternetAddress(recipient, true));
                sendable.add(recipient);
            } catch (AddressException e) {
                results.add(RecipientResult.failed(recipient, "5.1.3", "bad recipient address syntax: " + e.getMessage()));
            }
        }
        if (sendable.isEmpty()) {
            return results;
        }
        InternetAddress[] to = addresses.toArray(new InternetAddress[0]);
        boolean newConnection = false; // after a pooled connection turned out dead: a new one, never another pooled
        while (true) {
            Connection connection = connect(hops, idleOnly, newConnection);
            if (connection == null) {
                return null; // idleOnly and no idle connection to this route
            }
            String relay = connection.hop().name();
            sendable.forEach(r -> relayOf.put(r, relay));
            TransportPool.Lease lease = connection.lease();
            if (lease == null) {
                results.addAll(SmtpOutcomes.fromConnectionFailure(sendable, relay, connection.failure()));
                return results;
            }
            DeliveryConfig.Route route = connection.hop().route();
            boolean reusable = false;
            boolean nextHopDsn = lease.transport().announcesDsn();
            try {
                lease.transport().send(message, envelope, sendable, to);
                reusable = true; // a normal return: every recipient accepted, the DATA reply applies to all
                results.addAll(nextHopDsn(SmtpOutcomes.allAccepted(sendable,
                        lease.transport().getLastServerResponse()), nextHopDsn));
                return results;
            } catch (SendFailedException e) {
                reusable = SmtpOutcomes.connectionReusable(e);
                if (!reusable && deadBeforeTransaction(lease)) { // e.g. the 421 of a server closing idle connections
                    log.info("pooled connection to {} was closed by the server before the transaction ({}); "
                            + "sending on a new connection", route.hostAndPort(), RecipientResult.oneLine(e.getMessage()));
                    reconnected.inc();
                    if (idleOnly) {
                        return null; // the queue's worker sends it at once on a new connection
                    }
                    newConnection = true;
                    continue;
                }
                results.addAll(nextHopDsn(SmtpOutcomes.fromSendFailure(sendable, e), nextHopDsn));
                return results;
            } catch (MessagingException | IllegalStateException e) {
                if (deadBeforeTransaction(lease)) { // broken pipe or EOF at MAIL FROM: nothing of the mail was sent
                    log.info("pooled connection to {} failed before the transaction ({}); sending on a new "
                            + "connection", route.hostAndPort(), RecipientResult.oneLine(SmtpOutcomes.describe(e)));
                    reconnected.inc();
                    if (idleOnly) {
                        return null; // the queue's worker sends it at once on a new connection
                    }
                    newConnection = true;
                    continue; // the server closed an idle connection: not a delivery failure
                }
                MessagingException me = e instanceof MessagingException m ? m : new MessagingException(e.getMessage(), e);
                results.addAll(SmtpOutcomes.fromConnectionFailure(sendable, relay, me));
                return results;
            } finally {
                pool.release(lease, reusable);
            }
        }
    }

    /**
     * True when a connection from the pool failed before the next hop accepted MAIL FROM: a connection the server
     * closed while it was idle (or restarted meanwhile), which carried nothing of the message. Postfix then simply
     * opens a new connection; so does this (never another pooled one), without counting a delivery attempt.
     */
    private static boolean deadBeforeTransaction(TransportPool.Lease lease) {
        return lease.reused() && !lease.transport().transactionStarted();
    }

    /** A connection leased to the hop that took it, or (lease null) the failure of the last hop tried. */
    private record Connection(Hop hop, TransportPool.Lease lease, MessagingException failure) {
    }

    /**
     * A connection to the first of {@code hops} that takes one (connect, greeting, EHLO), skipping those that do
     * not; when none does, the last one's failure. With {@code idleOnly}: a connection idle in the pool to the first
     * hop, or null if there is none.
     */
    private Connection connect(List<Hop> hops, boolean idleOnly, boolean newConnection) {
        if (idleOnly) {
            try {
                TransportPool.Lease lease = pool.borrowIdle(hops.get(0).route());
                return lease == null ? null : new Connection(hops.get(0), lease, null);
            } catch (MessagingException e) {
                return null;
            }
        }
        MessagingException failure = null;
        for (int i = 0; i < hops.size(); i++) {
            Hop hop = hops.get(i);
            try {
                return new Connection(hop, newConnection ? pool.borrowNew(hop.route()) : pool.borrow(hop.route()),
                        null);
            } catch (MessagingException e) {
                failure = e;
                if (i + 1 < hops.size()) {
                    log.info("{} did not take the connection ({}), trying the next MX host", hop.name(),
                            RecipientResult.oneLine(SmtpOutcomes.describe(e))); // the server's text: one line
                }
            }
        }
        return new Connection(hops.getLast(), null, failure);
    }

    private static List<RecipientResult> nextHopDsn(List<RecipientResult> results, boolean nextHopDsn) {
        return nextHopDsn ? results.stream().map(RecipientResult::fromNextHopWithDsn).toList() : results;
    }

    /** Deletes the entry when nothing is left to do, else stores the retry schedule and schedules the retry. */
    private void apply(SpoolEntry entry, AttemptConclusion.Outcome outcome) throws SpoolException {
        if (outcome.done()) {
            finish(entry);
            return;
        }
        SpoolEntry updated = spool.updateEnvelope(entry, conclusion.retryEnvelope(entry.envelope(), outcome));
        if (running) {
            schedule.add(new Scheduled(updated, Duration.between(clock.instant(), outcome.nextAttempt())));
        } else {
            known.remove(entry.id());
        }
    }

    private void finish(SpoolEntry entry) throws SpoolException {
        spool.delete(entry);
        known.remove(entry.id());
    }

    /** Delay before the attempt after the {@code attempts}-th deferral: initial * multiplier^(attempts-1), capped. */
    Duration backoff(int attempts) {
        return conclusion.backoff(attempts);
    }

    private static Optional<Instant> nextAttempt(Envelope envelope) {
        return AttemptConclusion.parseInstant(envelope.attributes().get(ATTR_NEXT_ATTEMPT));
    }

    /** An entry waiting in the in-memory schedule until its due time. */
    private static final class Scheduled implements Delayed {
        private final SpoolEntry entry;
        private final long dueNanos;

        Scheduled(SpoolEntry entry, Duration delay) {
            this.entry = entry;
            this.dueNanos = System.nanoTime() + Math.max(0, delay.toNanos());
        }

        SpoolEntry entry() {
            return entry;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Scheduled) other).dueNanos);
        }
    }
}
