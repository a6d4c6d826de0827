package org.smimegw.gateway.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * PROXY protocol on the SMTP listener over real sockets: the load balancer is 127.0.0.1, a direct client connects
 * from 127.0.0.2 (Linux routes all of 127/8 to the loopback interface).
 */
class ProxyProtocolFrontEndTest {
    private static final String MESSAGE = "From: a@example.org\r\nTo: b@partner.example\r\nSubject: hi\r\n\r\nbody\r\n";
    /** The version 2 signature, as proxy-protocol.txt section 2.2 gives it. */
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final SmtpConfig.ProxyProtocol BALANCER = new SmtpConfig.ProxyProtocol(List.of("127.0.0.1"), 1);

    @TempDir
    Path tmp;

    private final MetricRegistry metrics = new MetricRegistry();
    private final List<SmtpFrontEnd> started = new ArrayList<>();
    private FileSpool spool;

    @AfterEach
    void stopAll() {
        started.forEach(SmtpFrontEnd::stop);
    }

    /** Loopback and 192.0.2.0/24 may relay; nothing is a relay domain. */
    private SmtpFrontEnd start(SmtpConfig.ProxyProtocol proxy) throws IOException {
        spool = new FileSpool(tmp.resolve("spool"), Clock.systemUTC(), metrics);
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "gw.test", null, null, null, null, null, null,
                List.of("127.0.0.0/8", "192.0.2.0/24"), List.of(), null, null, proxy);
        SmtpFrontEnd fe = new SmtpFrontEnd(config, tmp.resolve("state"), spool, Clock.systemUTC(), metrics, e -> { });
        fe.start();
        started.add(fe);
        return fe;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theClientNamedByAVersion1HeaderRelaysAndIsRecordedInEnvelopeAndReceivedHeader() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        String id;
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            lb.sendRaw(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 40000 25\r\n"));
            assertThat(lb.greeting()).startsWith("220 gw.test ESMTP");
            lb.command("EHLO client.example");
            assertThat(lb.command("MAIL FROM:<a@example.org>")).isEqualTo("250 2.1.0 Ok");
            assertThat(lb.command("RCPT TO:<b@partner.example>")).isEqualTo("250 2.1.5 Ok");
            String reply = lb.data(MESSAGE);
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            id = reply.substring(reply.lastIndexOf(' ') + 1);
        }
        SpoolEntry entry = spool.list(SpoolArea.INCOMING).get(0);
        assertThat(entry.id()).isEqualTo(id);
        assertThat(entry.envelope().clientAddress()).isEqualTo("192.0.2.7");
        assertThat(Files.readString(entry.contentFile(), StandardCharsets.US_ASCII))
                .startsWith("Received: from client.example ([192.0.2.7])\r\n");
    }

    @Test
    void relayControlJudgesTheAddressInAVersion2HeaderNotTheBalancers() throws Exception {
        SmtpFrontEnd fe = start(BALANCER); // the balancer 127.0.0.1 is in mynetworks, the client is not
        byte[] header = v2Tcp4(InetAddress.getByName("203.0.113.9"), 40001);
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            lb.sendRaw(header);
            lb.greeting();
            lb.command("EHLO outsider.example");
            lb.command("MAIL FROM:<x@outsider.example>");
            assertThat(lb.command("RCPT TO:<b@partner.example>")).isEqualTo("554 5.7.1 Relaying denied");
        }
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void aLocalHeaderLikeAHealthChecksLeavesTheBalancersAddress() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        byte[] local = new byte[16];
        System.arraycopy(V2_SIGNATURE, 0, local, 0, 12);
        local[12] = 0x20;
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            lb.sendRaw(local);
            lb.greeting();
            lb.command("EHLO lb.example");
            lb.command("MAIL FROM:<a@example.org>");
            lb.command("RCPT TO:<b@partner.example>");
            assertThat(lb.data(MESSAGE)).startsWith("250 ");
        }
        assertThat(spool.list(SpoolArea.INCOMING).get(0).envelope().clientAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void aBalancerThatSendsNoHeaderIsRefusedAfterTheTimeoutBeforeAnyGreeting() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            assertThat(lb.greeting()).isEqualTo("421 4.7.0 No PROXY protocol header in time, closing connection");
            assertThat(lb.isClosedByServer()).isTrue();
        }
        assertThat(metrics.counter("smtp.rejected.proxy_header_invalid").getCount()).isEqualTo(1);
    }

    @Test
    void aBalancerThatSpeaksSmtpAtOnceIsRefused() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            lb.sendRaw(ascii("EHLO client.example\r\n"));
            assertThat(lb.greeting()).isEqualTo("421 4.7.0 Invalid PROXY protocol header, closing connection");
            assertThat(lb.isClosedByServer()).isTrue();
        }
    }

    @Test
    void commandsSentWithTheHeaderInOnePacketAreNotLost() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        try (RawSmtpClient lb = new RawSmtpClient(fe.port())) {
            lb.sendRaw(ascii("PROXY TCP4 192.0.2.7 127.0.0.1 40000 25\r\nEHLO early.example\r\n"));
            assertThat(lb.greeting()).startsWith("220 ");
            assertThat(lb.reply()).startsWith("250-gw.test");
        }
    }

    @Test
    void aDirectClientIsGreetedAtOnceAndItsProxyHeaderRefused() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        try (RawSmtpClient direct = new RawSmtpClient(fe.port(), InetAddress.getByName("127.0.0.2"))) {
            assertThat(direct.greeting()).startsWith("220 gw.test ESMTP");
            assertThat(direct.command("PROXY TCP4 192.0.2.7 127.0.0.1 40000 25"))
                    .isEqualTo("554 5.7.1 PROXY protocol not accepted from this address, closing connection");
            assertThat(direct.isClosedByServer()).isTrue();
        }
        assertThat(metrics.counter("smtp.rejected.proxy_not_allowed").getCount()).isEqualTo(1);
    }

    @Test
    void aDirectClientsVersion2HeaderIsNeverTakenForAnAddressAndNothingIsAccepted() throws Exception {
        SmtpFrontEnd fe = start(BALANCER);
        try (RawSmtpClient direct = new RawSmtpClient(fe.port(), InetAddress.getByName("127.0.0.2"))) {
            direct.sendRaw(v2Tcp4(InetAddress.getByName("192.0.2.7"), 40000));
            direct.sendRaw(ascii("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@partner.example>\r\nDATA\r\n"));
            String all = direct.readUntilClosed();
            // the signature's CRLFs are empty commands; its "\0" and "QUIT\n" plus binary end the session
            assertThat(all).startsWith("220 gw.test").contains("500 5.5.2").doesNotContain("250 2.1.0")
                    .doesNotContain("354");
        }
        assertThat(spool.list(SpoolArea.INCOMING)).isEmpty();
    }

    @Test
    void withoutLoadBalancersAProxyLineIsRefusedToo() throws Exception {
        SmtpFrontEnd fe = start(null);
        try (RawSmtpClient c = new RawSmtpClient(fe.port())) {
            c.greeting();
            assertThat(c.command("PROXY TCP4 192.0.2.7 127.0.0.1 40000 25")).startsWith("554 5.7.1 ");
        }
    }

    private static byte[] v2Tcp4(InetAddress client, int port) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(28);
        b.put(V2_SIGNATURE);
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(client.getAddress()).put(new byte[] {127, 0, 0, 1}).putShort((short) port).putShort((short) 25);
        return b.array();
    }
}
