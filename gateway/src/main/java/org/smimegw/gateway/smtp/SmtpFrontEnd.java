package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.gateway.smtp.proxy.ProxyCommandRefusal;
import org.smimegw.gateway.smtp.proxy.ProxyProtocolGate;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolEntry;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.RequireAuthCommandWrapper;
import org.subethamail.smtp.internal.server.RequireTLSCommandWrapper;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * The SMTP listener (SubEthaSMTP): ESMTP with PIPELINING, SIZE, 8BITMIME, DSN, ENHANCEDSTATUSCODES, STARTTLS and
 * AUTH PLAIN/LOGIN after TLS; relay control; limits; DATA read in blocks ({@link DataCommand}) and streamed into the
 * INCOMING spool area, {@code 250} only after the spool returned; then {@code listener} is told about the new entry.
 * Behind a load balancer the client's address comes from the PROXY protocol header ({@link ProxyProtocolGate}).
 */
public final class SmtpFrontEnd {
    private static final Logger log = LoggerFactory.getLogger(SmtpFrontEnd.class);
    /** Extra threads SubEthaSMTP may start beyond maxConnections so that our 421 reply, not its own, is sent. */
    private static final int LIBRARY_CONNECTION_HEADROOM = 16;

    private final SmtpConfig config;
    private final Path stateDir;
    private final Spool spool;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final Consumer<SpoolEntry> listener;
    private final List<RecipientPolicyCheck> checks;
    private final InFlowGate inFlow;
    private final int maxHeaderBytes;
    private SMTPServer server;

    /**
     * @param config   the {@code smtp:} section
     * @param stateDir where a generated self-signed STARTTLS certificate is kept ({@code <stateDir>/smtp-tls/})
     * @param spool    where accepted messages go (area INCOMING)
     * @param metrics  counters {@code smtp.accepted} and {@code smtp.rejected.<reason>}, gauge {@code smtp.connections}
     * @param listener told about every stored entry, after the 250 is decided (runs on the SMTP session thread)
     * @param checks   recipient policy checks, run in order at RCPT after the relay checks
     * @param inFlow   waited on at MAIL FROM: slows clients down to the pipeline's pace ({@link InFlowGate})
     * @param maxHeaderBytes largest header section of a message (the MIME limit {@code maxHeaderBytes}): a larger
     *                 one is refused while DATA streams in ({@code 552 5.3.4}), so that nothing behind the front end
     *                 ever parses it into memory
     */
    public SmtpFrontEnd(SmtpConfig config, Path stateDir, Spool spool, Clock clock, MetricRegistry metrics,
                        Consumer<SpoolEntry> listener, List<RecipientPolicyCheck> checks, InFlowGate inFlow,
                        int maxHeaderBytes) {
        this.inFlow = inFlow;
        this.maxHeaderBytes = maxHeaderBytes;
        this.config = config;
        this.stateDir = stateDir;
        this.spool = spool;
        this.clock = clock;
        this.metrics = metrics;
        this.listener = listener;
        this.checks = List.copyOf(checks);
    }

    /** As above without recipient policy checks. */
    public SmtpFrontEnd(SmtpConfig config, Path stateDir, Spool spool, Clock clock, MetricRegistry metrics,
                        Consumer<SpoolEntry> listener) {
        this(config, stateDir, spool, clock, metrics, listener, List.of(), InFlowGate.open(metrics),
                org.smimegw.mailets.mime.MimeLimits.DEFAULT_MAX_HEADER_BYTES);
    }

    /** Binds and starts accepting; fails with an IOException naming the cause (port in use, bad TLS files). */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        String hostname = config.hostname() != null ? config.hostname() : localHostName();
        SmtpReplies replies = new SmtpReplies(metrics);
        SessionTracker sessions = new SessionTracker(config.maxConnections(), replies);
        RelayPolicy relay = new RelayPolicy(NetworkList.parse(config.mynetworks()), config.relayDomains());
        SSLContext tls = new TlsContextFactory(clock).create(config.tls(), stateDir, hostname);
        boolean authAvailable = !config.auth().users().isEmpty();
        SpoolingMessageHandler.Shared shared = new SpoolingMessageHandler.Shared(config, hostname, spool, clock,
                replies, relay, checks, sessions, listener, new HeaderDate(), inFlow, maxHeaderBytes);

        SMTPServer.Builder b = SMTPServer.port(config.port())
                .bindAddress(InetAddress.getByName(config.bind()))
                .hostName(hostname)
                .softwareName("smime-gateway")
                .messageHandlerFactory(ctx -> new SpoolingMessageHandler((Session) ctx, shared))
                .insertReceivedHeaders(false)
                .maxConnections(config.maxConnections() + LIBRARY_CONNECTION_HEADROOM)
                .connectionTimeout(config.idleTimeoutSeconds(), TimeUnit.SECONDS)
                .sessionHandler(sessions)
                .serverThreadName("smtp-" + config.bind() + ":" + config.port());
        if (config.proxyProtocol().enabled()) {
            b.proxyHandler(new ProxyProtocolGate(config.proxyProtocol(), replies));
        }
        if (authAvailable) {
            b.authenticationHandlerFactory(new UserAuthentication(config.auth().users(), new PasswordHasher(), replies));
        }
        SMTPServer s = b.build();
        CommandHandler commands = s.getCommandHandler();
        Command libraryAuth = commands.getCommand("AUTH");
        // the library's DATA sat behind its TLS/AUTH requirement wrappers; ours keeps them
        Command dataTransfer = new RequireTLSCommandWrapper(new RequireAuthCommandWrapper(new DataCommand()));
        commands.addCommand(new GreetingCommand(true, config.maxMessageSize(), authAvailable, sessions, replies));
        commands.addCommand(new GreetingCommand(false, config.maxMessageSize(), authAvailable, sessions, replies));
        commands.addCommand(new MailFromCommand(config.maxMessageSize(), replies));
        commands.addCommand(new RcptToCommand(hostname, replies));
        commands.addCommand(new StartTlsCommand(tls, replies));
        SimpleCommands.create(replies, libraryAuth, dataTransfer, authAvailable).forEach(commands::addCommand);
        commands.addCommand(new ProxyCommandRefusal(replies));
        try {
            s.start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("smtp: cannot listen on " + config.bind() + ":" + config.port() + ": "
                    + cause.getMessage(), cause);
        }
        metrics.remove("smtp.connections");
        metrics.register("smtp.connections", (com.codahale.metrics.Gauge<Integer>) sessions::active);
        server = s;
        log.info("SMTP listening on {}:{} as {}", config.bind(), s.getPortAllocated(), hostname);
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getPortAllocated();
    }

    /** Stops accepting and closes sessions; a DATA in progress is not acknowledged, so the client retries. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
            log.info("SMTP listener stopped");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
