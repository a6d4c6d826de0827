package org.smimegw.gateway.app;

import java.net.InetSocketAddress;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.config.EmbeddedMailboxConfig;

/**
 * An embedded GreenMail server (SMTP + IMAP) as the next hop of a gateway that has no mail server behind it.
 * GreenMail creates a mailbox on the first delivery to an address, with login = password = the address, so
 * whatever the gateway delivers can be read over IMAP right away. Everything is kept in memory.
 */
public final class EmbeddedMailbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailbox.class);

    private final EmbeddedMailboxConfig config;
    private GreenMail greenMail;

    public EmbeddedMailbox(EmbeddedMailboxConfig config) {
        this.config = config;
    }

    public synchronized void start() {
        if (greenMail != null) {
            throw new IllegalStateException("already started");
        }
        GreenMail server = new GreenMail(new ServerSetup[] {
                setup(config.smtpPort(), ServerSetup.PROTOCOL_SMTP),
                setup(config.imapPort(), ServerSetup.PROTOCOL_IMAP)});
        server.start();
        greenMail = server;
        log.info("embedded mailbox: smtp {}:{}, imap {}:{}", config.bind(), smtpAddress().getPort(),
                config.bind(), imapAddress().getPort());
    }

    private ServerSetup setup(int port, String protocol) {
        ServerSetup setup = new ServerSetup(port, config.bind(), protocol);
        return port == 0 ? setup.dynamicPort() : setup;
    }

    /** Where the embedded SMTP server listens (the real port when 0 was configured). */
    public synchronized InetSocketAddress smtpAddress() {
        return new InetSocketAddress(config.bind(), running().getSmtp().getPort());
    }

    /** Where the embedded IMAP server listens (the real port when 0 was configured). */
    public synchronized InetSocketAddress imapAddress() {
        return new InetSocketAddress(config.bind(), running().getImap().getPort());
    }

    /** The underlying GreenMail, for tests that inspect what arrived. */
    public synchronized GreenMail greenMail() {
        return running();
    }

    public synchronized boolean isRunning() {
        return greenMail != null && greenMail.isRunning();
    }

    private GreenMail running() {
        if (greenMail == null) {
            throw new IllegalStateException("embedded mailbox not started");
        }
        return greenMail;
    }

    @Override
    public synchronized void close() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }
}
