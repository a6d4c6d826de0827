package org.smimegw.crashtest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * One SMTP client session of the crash test, as a sending mail server behaves: takes the next message number,
 * sends it (MAIL, RCPT, DATA) and counts it accepted only when the final {@code 250} arrived. A connection that
 * breaks (the gateway was killed) or a temporary refusal means: reconnect and send the same message again, so a
 * message whose 250 was lost may arrive twice; that is a duplicate, never a loss.
 */
final class ResilientSession implements Runnable {
    /** One message: envelope and content (CRLF line ends, dot-stuffed where needed). */
    record Message(int number, String sender, String recipient, byte[] content) {
    }

    private final int port;
    private final Queue<Integer> numbers;
    private final IntFunction<Message> messages;
    private final Set<Integer> accepted;
    private final AtomicLong resends;
    private final long deadlineNanos;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /**
     * @param numbers  shared queue of message numbers still to send
     * @param accepted where the numbers that got a 250 go
     * @param resends  counts sends of a message after a failed attempt
     * @param deadlineNanos {@link System#nanoTime()} after which the session gives up
     */
    ResilientSession(int port, Queue<Integer> numbers, IntFunction<Message> messages, Set<Integer> accepted,
                     AtomicLong resends, long deadlineNanos) {
        this.port = port;
        this.numbers = numbers;
        this.messages = messages;
        this.accepted = accepted;
        this.resends = resends;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
        try {
            Integer number;
            while ((number = numbers.poll()) != null) {
                Message message = messages.apply(number);
                boolean first = true;
                while (!send(message)) {
                    if (System.nanoTime() > deadlineNanos) {
                        return;
                    }
                    if (first) {
                        resends.incrementAndGet();
                        first = false;
                    }
                    Thread.sleep(100);
                }
                accepted.add(number);
            }
            quit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /** True when the message got its 250; false after a broken connection or a refusal (the session is reset). */
    private boolean send(Message m) {
        try {
            if (socket == null) {
                connect();
            }
            expect("MAIL FROM:<" + m.sender() + ">", '2');
            expect("RCPT TO:<" + m.recipient() + ">", '2');
            expect("DATA", '3');
            out.write(m.content());
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (reply().charAt(0) == '2') {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // the gateway went away or answered out of turn: start over on a new connection
        }
        close();
        return false;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (reply().charAt(0) != '2') {
            throw new IOException("no greeting");
        }
        expect("EHLO crash-test.example", '2');
    }

    private void expect(String command, char code) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = reply();
        if (reply.charAt(0) != code) {
            throw new IOException(command + ": " + reply);
        }
    }

    /** The last line of the next reply. */
    private String reply() throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c == -1) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                if (line.length() < 3) {
                    throw new IOException("not a reply: " + line);
                }
                return line.toString();
            }
        }
    }

    private void quit() {
        if (socket != null) {
            try {
                expect("QUIT", '2');
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
            socket = null;
        }
    }
}
