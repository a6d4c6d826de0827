package org.smimegw.gateway.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.MessageHandlerFactory;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.CommandHandler;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * A real SMTP server (SubEthaSMTP on loopback, ephemeral port) that answers as a test script says: temporary
 * failures for the first N transactions, permanent refusal of chosen recipients, otherwise 250. It records the MAIL
 * and RCPT command lines as they arrived ({@link #commandLines()}) and can announce DSN ({@link #announceDsn()}).
 */
final class ScriptedNextHop implements MessageHandlerFactory, AutoCloseable {

    record Received(String from, List<String> recipients, byte[] content, String connection) {
    }

    private final SMTPServer server;
    private final AtomicInteger transactions = new AtomicInteger();
    private final Set<String> connections = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int tempFailFirst;
    private volatile boolean alwaysTempFail;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Set<String> deferredRcpts = ConcurrentHashMap.newKeySet();
    private volatile Runnable onData = () -> { };
    private final List<String> commandLines = new CopyOnWriteArrayList<>();
    private final AtomicInteger quits = new AtomicInteger();
    private volatile boolean announceDsn;

    ScriptedNextHop() {
        this(java.time.Duration.ofMinutes(1), null, null, null);
    }

    /** @param idleTimeout the server closes a connection idle this long (with 421) */
    ScriptedNextHop(java.time.Duration idleTimeout) {
        this(idleTimeout, null, null, null);
    }

    /** A next hop on a given port: a "restart" of another one, after that one was closed. */
    static ScriptedNextHop onPort(int port) {
        return new ScriptedNextHop(port, java.time.Duration.ofMinutes(1), null, null, null);
    }

    /** A next hop that offers STARTTLS with the given server context and refuses mail before TLS. */
    static ScriptedNextHop requiringTls(javax.net.ssl.SSLContext tls) {
        return new ScriptedNextHop(java.time.Duration.ofMinutes(1), tls, null, null);
    }

    /** A next hop that requires SMTP AUTH (PLAIN/LOGIN) with this user and password. */
    static ScriptedNextHop requiringAuth(String user, String password) {
        return new ScriptedNextHop(java.time.Duration.ofMinutes(1), null, user, password);
    }

    private ScriptedNextHop(java.time.Duration idleTimeout, javax.net.ssl.SSLContext tls, String user,
                            String password) {
        this(0, idleTimeout, tls, user, password);
    }

    private ScriptedNextHop(int port, java.time.Duration idleTimeout, javax.net.ssl.SSLContext tls, String user,
                            String password) {
        SMTPServer.Builder builder = SMTPServer.port(port).connectionTimeoutMs((int) idleTimeout.toMillis())
                .bindAddress(InetAddress.getLoopbackAddress()).hostName("nexthop.test").messageHandlerFactory(this);
        if (tls != null) {
            builder.enableTLS().requireTLS().startTlsSocketFactory(tls);
        }
        if (user != null) {
            builder.requireAuth().authenticationHandlerFactory(new org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory(
                    (u, p, ctx) -> {
                        if (!u.equals(user) || !p.equals(password)) {
                            throw new org.subethamail.smtp.auth.LoginFailedException("bad credentials");
                        }
                    }));
        }
        server = builder.build();
        CommandHandler commands = server.getCommandHandler();
        for (String verb : List.of("MAIL", "RCPT")) {
            commands.addCommand(new ReplacedCommand(commands.getCommand(verb), (line, session, library) -> {
                commandLines.add(line);
                library.execute(line, session);
            }));
        }
        commands.addCommand(new ReplacedCommand(commands.getCommand("EHLO"), this::ehlo));
        commands.addCommand(new ReplacedCommand(commands.getCommand("QUIT"), (line, session, library) -> {
            quits.incrementAndGet();
            library.execute(line, session);
        }));
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    ScriptedNextHop tempFailFirst(int n) {
        tempFailFirst = n;
        return this;
    }

    ScriptedNextHop alwaysTempFail() {
        alwaysTempFail = true;
        return this;
    }

    ScriptedNextHop refuse(String recipient) {
        refused.add(recipient);
        return this;
    }

    /** Answers RCPT TO for this recipient with a temporary failure (450). */
    ScriptedNextHop deferRecipient(String recipient) {
        deferredRcpts.add(recipient);
        return this;
    }

    /** Accepts this recipient again (a deferred recipient's mailbox became available). */
    ScriptedNextHop accept(String recipient) {
        deferredRcpts.remove(recipient);
        refused.remove(recipient);
        return this;
    }

    /** Runs while a message's DATA is being received, before the server's reply (the client waits meanwhile). */
    ScriptedNextHop onData(Runnable hook) {
        onData = hook;
        return this;
    }

    /**
     * Announces 8BITMIME and DSN (RFC 3461) in the EHLO reply, and nothing else (no STARTTLS, AUTH, CHUNKING):
     * SubEthaSMTP's own EHLO reply does not list DSN.
     */
    ScriptedNextHop announceDsn() {
        announceDsn = true;
        return this;
    }

    /** The MAIL FROM and RCPT TO command lines received, as sent by the client, in order. */
    List<String> commandLines() {
        return commandLines;
    }

    int transactions() {
        return transactions.get();
    }

    /** QUIT commands received: connections the client closed (not the server's idle timeout). */
    int quits() {
        return quits.get();
    }

    int connections() {
        return connections.size();
    }

    List<Received> received() {
        return received;
    }

    @Override
    public MessageHandler create(MessageContext ctx) {
        String connection = String.valueOf(ctx.getRemoteAddress());
        connections.add(connection);
        int n = transactions.incrementAndGet();
        return new MessageHandler() {
            private String from;
            private final List<String> recipients = new ArrayList<>();

            @Override
            public void from(String address) throws RejectException {
                if (alwaysTempFail || n <= tempFailFirst) {
                    throw new RejectException(451, "4.3.0 try again later (scripted)");
                }
                from = address;
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                if (refused.contains(recipient)) {
                    throw new RejectException(550, "5.1.1 <" + recipient + ">: user unknown (scripted)");
                }
                if (deferredRcpts.contains(recipient)) {
                    throw new RejectException(450, "4.2.1 <" + recipient + ">: mailbox busy (scripted)");
                }
                recipients.add(recipient);
            }

            @Override
            public String data(InputStream data) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                data.transferTo(out);
                onData.run();
                received.add(new Received(from, List.copyOf(recipients), out.toByteArray(), connection));
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }

    /** What this next hop does instead of one of the library's commands (which it may still call). */
    @FunctionalInterface
    private interface Replacement {
        void execute(String commandString, Session session, Command library) throws IOException, DropConnectionException;
    }

    /** A library command whose execution the next hop replaces; help and name stay the library's. */
    private record ReplacedCommand(Command library, Replacement replacement) implements Command {
        @Override
        public void execute(String commandString, Session session) throws IOException, DropConnectionException {
            replacement.execute(commandString, session, library);
        }

        @Override
        public HelpMessage getHelp() throws CommandException {
            return library.getHelp();
        }

        @Override
        public String getName() {
            return library.getName();
        }
    }

    /** The library's EHLO, or with {@link #announceDsn()} a reply that lists 8BITMIME and DSN. */
    private void ehlo(String commandString, Session session, Command library) throws IOException, DropConnectionException {
        String[] words = commandString.trim().split("\\s+");
        if (!announceDsn || words.length < 2) {
            library.execute(commandString, session);
            return;
        }
        session.resetMailTransaction();
        session.setHelo(words[1]);
        session.sendResponse("250-" + session.getServer().getHostName() + "\r\n250-8BITMIME\r\n250-DSN\r\n250 Ok");
    }
}
