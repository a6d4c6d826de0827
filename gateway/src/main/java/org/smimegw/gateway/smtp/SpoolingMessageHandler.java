package org.smimegw.gateway.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.smimegw.gateway.logging.LogFields;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.EnvelopeParameters;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolException;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.Session;

/**
 * One mail transaction: collects the envelope (MAIL parameters, accepted RCPTs and their parameters), applies the recipient limit, relay
 * rights and policy checks at RCPT, and streams DATA with a Received header straight into the INCOMING spool area.
 * The 250 reply is produced only after the spool returned (content and envelope fsynced).
 */
final class SpoolingMessageHandler implements MessageHandler {
    private static final Logger log = LoggerFactory.getLogger(SpoolingMessageHandler.class);

    /** What every transaction of one front end shares. */
    record Shared(SmtpConfig config, String hostname, Spool spool, Clock clock, SmtpReplies replies,
                  RelayPolicy relay, List<RecipientPolicyCheck> checks, SessionTracker sessions,
                  Consumer<SpoolEntry> listener, HeaderDate dates, InFlowGate inFlow, int maxHeaderBytes) {
    }

    private final Session session;
    private final Shared shared;
    private String sender = "";
    private Map<String, String> mailParameters = Map.of();
    private final List<String> recipients = new ArrayList<>();
    private final Map<String, Map<String, String>> recipientParameters = new HashMap<>();

    SpoolingMessageHandler(Session session, Shared shared) {
        this.session = session;
        this.shared = shared;
    }

    void mailFrom(String address, Map<String, String> parameters) throws RejectException {
        try {
            // replies held for a pipelined group (e.g. the previous message's 250) do not wait at the gate too
            shared.inFlow().awaitTurn(this::sendHeldReplies);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
            throw shared.replies().reject(SmtpReason.LOCAL_ERROR);
        }
        String size = parameters.get(EnvelopeParameters.SIZE);
        if (!shared.spool().hasRoomFor(size == null ? 0 : Long.parseLong(size))) {
            log.warn("free space on the spool below the reserve: MAIL FROM refused with 452 4.3.1 (client={})",
                    session.getRemoteAddress().getAddress().getHostAddress());
            throw shared.replies().reject(SmtpReason.INSUFFICIENT_STORAGE);
        }
        this.sender = address;
        this.mailParameters = parameters;
    }

    private void sendHeldReplies() {
        try {
            ReplyMappingSocket.sendHeldReplies(session.getSocket());
        } catch (java.io.IOException e) {
            // the connection is broken: the session ends on its next read or write
        }
    }

    @Override
    public void from(String from) throws RejectException {
        mailFrom(from, Map.of());
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        rcptTo(recipient, Map.of());
    }

    /** RCPT TO with its parameters (NOTIFY, ORCPT), kept for the envelope once the recipient is accepted. */
    void rcptTo(String recipient, Map<String, String> parameters) throws RejectException {
        if (recipients.size() >= shared.config().maxRecipients()) {
            throw shared.replies().reject(SmtpReason.TOO_MANY_RECIPIENTS);
        }
        SmtpSessionInfo info = sessionInfo();
        if (!shared.relay().allows(info, recipient)) {
            log.info("relay denied: client={} helo={} from=<{}> to=<{}>", info.clientAddress().getHostAddress(),
                    info.helo(), sender, recipient);
            throw shared.replies().reject(SmtpReason.RELAY_DENIED);
        }
        for (RecipientPolicyCheck check : shared.checks()) {
            Optional<SmtpRejection> rejection;
            try {
                rejection = check.check(info, sender, recipient);
            } catch (RuntimeException e) {
                log.error("recipient policy check {} failed for <{}>", check.getClass().getName(), recipient, e);
                throw shared.replies().reject(SmtpReason.LOCAL_ERROR);
            }
            if (rejection.isPresent()) {
                log.info("recipient <{}> rejected by policy: {}", recipient, rejection.get().text());
                throw shared.replies().reject(rejection.get());
            }
        }
        recipients.add(recipient);
        if (!parameters.isEmpty()) {
            recipientParameters.put(recipient, parameters);
        }
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        Instant receivedAt = shared.clock().instant();
        SmtpSessionInfo info = sessionInfo();
        Envelope envelope = new Envelope(sender, mailParameters, recipients, recipientParameters,
                info.clientAddress().getHostAddress(), info.helo(), info.authenticatedUser().orElse(null), receivedAt,
                Map.of());
        Socket socket = session.getSocket();
        int idleTimeout = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(shared.config().dataTimeoutSeconds() * 1000L));
        try {
            SpoolEntry entry = shared.spool().store(SpoolArea.INCOMING, envelope, (id, out) -> {
                MDC.put("queueId", id);
                writeReceived(out, id, info, receivedAt);
                LimitedCopy.copy(data, out, shared.config().maxMessageSize(), shared.config().maxLineLength(),
                        shared.maxHeaderBytes());
            });
            log.atInfo().addKeyValue(LogFields.STAGE, "smtp").addKeyValue(LogFields.OUTCOME, "queued")
                    .log("queued as {}: from=<{}> nrcpt={} client={}", entry.id(), sender, recipients.size(),
                            envelope.clientAddress());
            notifyListener(entry);
            return shared.replies().queued(entry.id());
        } catch (LimitExceededException e) {
            log.info("message refused: {} (client={})", e.getMessage(), envelope.clientAddress());
            drain(data); // under the data timeout; DataCommand ends the transaction with the reply
            throw shared.replies().reject(e.reason());
        } catch (SpoolException e) {
            log.error("spool failure, answering 451: {}", e.getMessage(), e);
            drain(data);
            throw shared.replies().reject(SmtpReason.SPOOL_FAILURE);
        } finally {
            MDC.remove("queueId");
            if (!socket.isClosed()) {
                socket.setSoTimeout(idleTimeout);
            }
        }
    }

    @Override
    public void done() {
        // nothing held: the spool entry is complete or was never committed
    }

    private void writeReceived(OutputStream out, String id, SmtpSessionInfo info, Instant when) throws IOException {
        String protocol = (shared.sessions().usedEhlo(session) ? "ESMTP" : "SMTP")
                + (info.tls() ? "S" : "") + (info.authenticatedUser().isPresent() ? "A" : "");
        String tlsDetails = ReplyMappingSocket.tlsSession(session.getSocket())
                .map(tls -> "using " + tls.getProtocol() + " with cipher " + tls.getCipherSuite())
                .orElse(null);
        String header = ReceivedHeader.format(info.helo(), info.clientAddress(), shared.hostname(), protocol, id,
                tlsDetails, recipients, shared.dates().format(when));
        out.write(header.getBytes(StandardCharsets.US_ASCII));
    }

    private void notifyListener(SpoolEntry entry) {
        try {
            shared.listener().accept(entry);
        } catch (RuntimeException e) {
            // the message is durable in the spool; the pipeline finds it on its next scan
            log.error("listener failed for {}; the entry stays in the spool", entry.id(), e);
        }
    }

    private SmtpSessionInfo sessionInfo() {
        InetAddress client = session.getRemoteAddress().getAddress();
        Optional<String> user = session.isAuthenticated()
                ? session.getAuthenticationHandler().map(h -> String.valueOf(h.getIdentity()))
                : Optional.empty();
        return new SmtpSessionInfo(client, session.getHelo().orElse(""), user, session.isTLSStarted(),
                shared.relay().isTrusted(client));
    }

    private static void drain(InputStream data) throws IOException {
        data.transferTo(OutputStream.nullOutputStream());
    }
}
