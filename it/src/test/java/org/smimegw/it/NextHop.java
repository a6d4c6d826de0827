package org.smimegw.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The external next hop both nodes deliver to: an SMTP server on 127.0.0.1 that keeps every message it accepted, and
 * that can be told to answer {@code 451} for a while (a next hop in trouble: the gateways keep the mail in their spools
 * and retry), without stopping, so no message it acknowledged can go missing from the count.
 */
final class NextHop implements AutoCloseable {
    private final SMTPServer server;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    NextHop(int port) throws IOException {
        server = SMTPServer.port(port).bindAddress(InetAddress.getByName("127.0.0.1")).hostName("next-hop.test")
                .messageHandlerFactory(context -> new MessageHandler() {
                    @Override
                    public void from(String from) throws RejectException {
                        if (refusing) {
                            throw new RejectException(451, "4.3.0 next hop busy, try again later");
                        }
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        received.add(data.readAllBytes());
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                }).build();
        server.start();
    }

    /** While true, every transaction is refused with 451. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Every message accepted so far, parsed. */
    List<MimeMessage> messages() {
        List<MimeMessage> all = new ArrayList<>();
        Session session = Session.getInstance(new Properties());
        for (byte[] m : received) {
            try {
                all.add(new MimeMessage(session, new ByteArrayInputStream(m)));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return all;
    }

    @Override
    public void close() {
        server.stop();
    }
}
