package org.smimegw.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A plain SMTP client session from a chosen local address (any 127/8 address on Linux): greeting and EHLO on
 * connect, then commands and whole transactions. A closed connection is an {@link IOException}.
 */
final class SmtpSession implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;

    SmtpSession(int port, InetAddress local) throws IOException {
        try {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            greeting = reply();
            if (!greeting.startsWith("220")) {
                throw new IOException("greeting: " + greeting);
            }
            String ehlo = command("EHLO sender.client.test");
            if (!ehlo.startsWith("250")) {
                throw new IOException("EHLO: " + ehlo);
            }
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The 220 line, e.g. {@code 220 gw-a.test ESMTP smime-gateway}. */
    String greeting() {
        return greeting;
    }

    /** The host name the server greeted with. */
    String serverName() {
        return greeting.split(" ")[1];
    }

    /** Sends one line; returns the last line of the reply. */
    String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** MAIL, RCPT, DATA and the dot-stuffed {@code content}; returns the final reply (or the first refusal). */
    String transaction(String from, String to, String content) throws IOException {
        for (String line : new String[] {"MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">"}) {
            String r = command(line);
            if (!r.startsWith("250")) {
                return r;
            }
        }
        String r = command("DATA");
        if (!r.startsWith("354")) {
            return r;
        }
        StringBuilder b = new StringBuilder(content.length() + 64);
        for (String line : content.split("\r\n", -1)) {
            b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
        }
        if (content.endsWith("\r\n")) {
            b.setLength(b.length() - 2);
        }
        b.append(".\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply();
    }

    private String reply() throws IOException {
        String line;
        do {
            line = readLine();
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed by the server");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT");
        } catch (IOException e) {
            // closing anyway
        }
        socket.close();
    }
}
