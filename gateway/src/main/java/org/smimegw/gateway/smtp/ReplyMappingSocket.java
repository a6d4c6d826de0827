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
 */
final class ReplyMappingSocket extends Socket {
    private final Socket delegate;
    private final OutputStream output;

    ReplyMappingSocket(Socket delegate, UnaryOperator<String> mapping) throws IOException {
        this.delegate = delegate;
        this.output = new LineMappingOutputStream(delegate.getOutputStream(), mapping);
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

    /** Collects bytes up to each LF and writes the mapped line; a flush passes complete lines on. */
    private static final class LineMappingOutputStream extends FilterOutputStream {
        private final UnaryOperator<String> mapping;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);

        LineMappingOutputStream(OutputStream out, UnaryOperator<String> mapping) {
            super(out);
            this.mapping = mapping;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                String body = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                        : text.substring(0, text.length() - 1);
                out.write((mapping.apply(body) + "\r\n").getBytes(StandardCharsets.UTF_8));
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
            out.flush();
        }
    }
}
