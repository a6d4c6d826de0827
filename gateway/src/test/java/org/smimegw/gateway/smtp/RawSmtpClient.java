package org.smimegw.gateway.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A line-level SMTP client for tests: exact replies, STARTTLS, streaming DATA. */
public final class RawSmtpClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private Certificate[] serverCertificates;

    public RawSmtpClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2, any 127/8 address works on Linux); null: any. */
    public RawSmtpClient(int port, java.net.InetAddress localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(60_000);
        streams();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The next reply, all lines joined with "\n" (e.g. "250-a\n250 b"). */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; got so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    public String greeting() throws IOException {
        return reply();
    }

    /** Sends one command line and returns its reply. */
    public String command(String line) throws IOException {
        send(line);
        return reply();
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Half-closes the connection: the server reads end-of-stream. */
    void shutdownOutput() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    OutputStream output() {
        return out;
    }

    /** Sends a message (CRLF lines, dot-stuffed here) and the terminating dot; returns the final reply. */
    public String data(String message) throws IOException {
        String r = command("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        StringBuilder b = new StringBuilder();
        for (String line : message.split("\r\n", -1)) {
            b.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        if (message.endsWith("\r\n")) {
            b.setLength(b.length() - 2);
        }
        b.append(".\r\n");
        sendRaw(b.toString().getBytes(StandardCharsets.UTF_8));
        return reply();
    }

    /** STARTTLS then the TLS handshake, trusting any server certificate (test only). */
    String startTls() throws IOException {
        String r = command("STARTTLS");
        if (!r.startsWith("220")) {
            return r;
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.startHandshake();
            serverCertificates = ssl.getSession().getPeerCertificates();
            socket = ssl;
            streams();
            return r;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    Certificate[] serverCertificates() {
        return serverCertificates;
    }

    boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Everything the server sends until it closes the connection. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (java.net.SocketException e) {
            // reset by the server: closed
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
