package org.smimegw.gateway.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

import org.smimegw.gateway.config.EmbeddedMailboxConfig;

/**
 * An embedded mail server (SMTP + IMAP) as the next hop of a gateway that has no mail server behind it. GreenMail
 * keeps the mailboxes and serves IMAP; it creates a mailbox on the first delivery to an address, with login =
 * password = the address, so whatever the gateway delivers can be read over IMAP right away. SMTP is SubEthaSMTP
 * handing each message to GreenMail ({@link MailboxDelivery}), so that bounces from the null sender arrive too.
 * Everything is kept in memory.
 */
public final class EmbeddedMailbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailbox.class);

    private final EmbeddedMailboxConfig config;
    private GreenMail greenMail;
    private SMTPServer smtp;

    public EmbeddedMailbox(EmbeddedMailboxConfig config) {
        this.config = config;
    }

    public synchronized void start() {
        if (greenMail != null) {
            throw new IllegalStateException("already started");
        }
        // GreenMail binds in a thread of its own: a port in use there is a stack trace on stderr and a start-up
        // timeout here, so a configured port is tried first and refused in one line
        ensureFree(config.imapPort(), "imap");
        ensureFree(config.smtpPort(), "smtp");
        GreenMail server = new GreenMail(setup(config.imapPort(), ServerSetup.PROTOCOL_IMAP));
        try {
            server.start();
        } catch (RuntimeException e) {
            server.stop();
            throw new IllegalStateException("cannot listen on " + config.bind() + ":"
                    + config.imapPort() + " (imap)", e);
        }
        SMTPServer smtpServer;
        try {
            smtpServer = SMTPServer.port(config.smtpPort())
                    .bindAddress(InetAddress.getByName(config.bind()))
                    .hostName("embedded-mailbox")
                    .messageHandlerFactory(new MailboxDelivery(server.getManagers().getSmtpManager()))
                    .serverThreadName("embedded-mailbox-smtp")
                    .build();
            smtpServer.start();
        } catch (UnknownHostException | RuntimeException e) {
            server.stop();
            throw new IllegalStateException("cannot listen on " + config.bind() + ":"
                    + config.smtpPort() + " (smtp): " + e.getMessage(), e);
        }
        greenMail = server;
        smtp = smtpServer;
        log.info("embedded mailbox: smtp {}:{}, imap {}:{}", config.bind(), smtpAddress().getPort(),
                config.bind(), imapAddress().getPort());
    }

    private void ensureFree(int port, String what) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + config.bind() + ":" + port
                    + " (" + what + "): " + e.getMessage(), e);
        }
    }

    private ServerSetup setup(int port, String protocol) {
        ServerSetup setup = new ServerSetup(port, config.bind(), protocol);
        return port == 0 ? setup.dynamicPort() : setup;
    }

    /** Where the embedded SMTP server listens (the real port when 0 was configured). */
    public synchronized InetSocketAddress smtpAddress() {
        running();
        return new InetSocketAddress(config.bind(), smtp.getPortAllocated());
    }

    /** Where the embedded IMAP server listens (the real port when 0 was configured). */
    public synchronized InetSocketAddress imapAddress() {
        return new InetSocketAddress(config.bind(), running().getImap().getPort());
    }

    /** The underlying GreenMail (mailboxes and IMAP), for tests that inspect what arrived. */
    public synchronized GreenMail greenMail() {
        return running();
    }

    public synchronized boolean isRunning() {
        return greenMail != null && greenMail.isRunning() && smtp.isRunning();
    }

    private GreenMail running() {
        if (greenMail == null) {
            throw new IllegalStateException("embedded mailbox not started");
        }
        return greenMail;
    }

    @Override
    public synchronized void close() {
        if (smtp != null) {
            smtp.stop();
            smtp = null;
        }
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }
}
