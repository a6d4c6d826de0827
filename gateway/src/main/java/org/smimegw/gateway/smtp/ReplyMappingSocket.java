package org.smimegw.gateway.smtp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The socket a SubEthaSMTP session talks through (plain, or TLS after STARTTLS): what the session writes passes
 * reply line by reply line through {@link SmtpReplies#fromLibrary}, so the few replies SubEthaSMTP words itself
 * (idle timeout, unknown command, ...) get enhanced status codes like all others. Reading is untouched.
 * <p>
 * Replies to a pipelined group are sent together (RFC 2920 section 3.2: the server may hold replies until it would
 * block reading): SubEthaSMTP flushes after every reply, and a flush here only writes the replies held so far when
 * the session has no more input waiting ({@link PendingInput}), so MAIL, RCPT... DATA sent in one write get their
 * replies in one write, while a client that waits for each reply gets it at once. Replies are also written when more
 * than {@value #MAX_HELD} bytes are held, before the socket closes, and on {@link #sendHeldReplies} (before TLS
 * starts).
 */
final class ReplyMappingSocket extends Socket {

    /** How many bytes of replies are held at most before they are written anyway. */
    static final int MAX_HELD = 16 * 1024;

    /** How many bytes of input wait to be read by the session (0: its next read would block). */
    @FunctionalInterface
    interface PendingInput {
        int available() throws IOException;
    }

    private final Socket delegate;
    private final LineMappingOutputStream output;

    ReplyMappingSocket(Socket delegate, UnaryOperator<String> mapping, PendingInput pendingInput) throws IOException {
        this.delegate = delegate;
        this.output = new LineMappingOutputStream(delegate.getOutputStream(), mapping, pendingInput);
    }

    /** Writes the replies held for a pipelined group now (e.g. the 220 before a TLS handshake). */
    static void sendHeldReplies(Socket socket) throws IOException {
        if (socket instanceof ReplyMappingSocket m) {
            m.output.writeHeld();
        }
    }

    /** The socket underneath (an {@link SSLSocket} after STARTTLS). */
    Socket delegate() {
        return delegate;
    }

    /** The TLS session of {@code socket} (this class or a plain one), if it is a TLS socket. */
    static Optional<SSLSession> tlsSession(Socket socket) {
        Socket s = socket instanceof ReplyMappingSocket m ? m.delegate : socket;
        return s instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return delegate.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void close() throws IOException {
        try {
            output.writeHeld();
        } catch (IOException e) {
            // the connection is gone: nothing can reach the client any more
        }
        delegate.close();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public boolean isBound() {
        return delegate.isBound();
    }

    @Override
    public InetAddress getInetAddress() {
        return delegate.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public int getPort() {
        return delegate.getPort();
    }

    @Override
    public int getLocalPort() {
        return delegate.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return delegate.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return delegate.getLocalSocketAddress();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        delegate.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return delegate.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        delegate.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return delegate.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        delegate.setSoLinger(on, linger);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        delegate.setKeepAlive(on);
    }

    @Override
    public void shutdownInput() throws IOException {
        delegate.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        delegate.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        return delegate.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return delegate.isOutputShutdown();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    /**
     * Collects bytes up to each LF and holds the mapped line; a flush writes the lines held when no input is pending
     * (or too much is held).
     */
    private static final class LineMappingOutputStream extends FilterOutputStream {
        private final UnaryOperator<String> mapping;
        private final PendingInput pendingInput;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        private final ByteArrayOutputStream held = new ByteArrayOutputStream(512);

        LineMappingOutputStream(OutputStream out, UnaryOperator<String> mapping, PendingInput pendingInput) {
            super(out);
            this.mapping = mapping;
            this.pendingInput = pendingInput;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                String body = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                        : text.substring(0, text.length() - 1);
                held.writeBytes((mapping.apply(body) + "\r\n").getBytes(StandardCharsets.UTF_8));
                if (held.size() > MAX_HELD) {
                    writeHeld();
                }
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (held.size() > 0 && !inputPending()) {
                writeHeld();
            }
        }

        synchronized void writeHeld() throws IOException {
            if (held.size() > 0) {
                held.writeTo(out);
                held.reset();
            }
            out.flush();
        }

        private boolean inputPending() {
            try {
                return pendingInput.available() > 0;
            } catch (IOException e) {
                return false; // the input is closed or broken: write what is held
            }
        }

        @Override
        public void close() throws IOException {
            try {
                writeHeld();
            } finally {
                out.close();
            }
        }
    }
}
