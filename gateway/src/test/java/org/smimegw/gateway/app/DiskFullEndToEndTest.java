package org.smimegw.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.reload.Gate;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.TinyTmpfs;

/**
 * A real full disk under a running gateway (its state directory on a 16 MiB tmpfs): mail already accepted meets
 * ENOSPC when the pipeline stores it for delivery. That is not the mail's failure: nothing is counted, nothing goes to
 * the error area, the mail waits in INCOMING and is delivered once there is space again. Meanwhile the SMTP front end
 * refuses new mail with {@code 452 4.3.1} instead of accepting what it could not keep.
 */
class DiskFullEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void acceptedMailSurvivesAFullDiskUncountedAndNewMailIsRefusedUntilThereIsRoom() throws Exception {
        try (TinyTmpfs fs = TinyTmpfs.mount(dir.resolve("mnt"), 16 * 1024)) {
            GatewayConfig config = TestGatewayConfig.load(dir, """
                    <mailetcontainer>
                      <processors>
                        <processor state="root">
                          <mailet match="All" class="org.smimegw.gateway.reload.GateMailet"/>
                          <mailet match="All" class="ToProcessor"><processor>transport</processor></mailet>
                        </processor>
                        <processor state="transport">
                          <mailet match="All" class="SetMimeHeader"><name>X-Relayed</name><value>yes</value></mailet>
                          <mailet match="All" class="RemoteDelivery"/>
                        </processor>
                        <processor state="error">
                          <mailet match="All" class="org.smimegw.gateway.container.ToSpoolArea"><area>error</area></mailet>
                        </processor>
                      </processors>
                    </mailetcontainer>
                    """, """
                    spool: {minFreeBytes: 2097152, recycleBytes: 0}
                    embeddedMailbox: {enabled: true, smtpPort: 0, imapPort: 0}
                    """);
            config = config.withEphemeralPorts(fs.path().resolve("var"));
            Gate gate = new Gate();
            try (GatewayApplication app = new GatewayApplication(config)) {
                app.addService(Gate.class, gate);
                app.start();
                int port = app.smtpAddress().getPort();
                for (int i = 0; i < 3; i++) {
                    assertThat(send(port, "mail " + i)).startsWith("250");
                }
                gate.awaitEntered();
                fs.fill(); // now the disk is full: storing the mails for delivery fails with ENOSPC
                assertThat(send(port, "refused")).startsWith("452 4.3.1");
                gate.open();
                await(() -> app.metrics().counter("pipeline.deferred").getCount() >= 3);
                assertThat(app.metrics().counter("pipeline.failed").getCount()).isZero();
                assertThat(app.spool().list(SpoolArea.ERROR)).isEmpty();
                assertThat(app.spool().list(SpoolArea.INCOMING)).hasSize(3);

                Files.delete(fs.path().resolve("filler")); // an operator made room
                var greenMail = app.embeddedMailbox().orElseThrow().greenMail();
                assertThat(greenMail.waitForIncomingEmail(60_000, 3)).isTrue();
                await(() -> app.spool().list(SpoolArea.INCOMING).isEmpty());
                assertThat(app.metrics().counter("pipeline.failed").getCount()).isZero();
                assertThat(app.spool().list(SpoolArea.ERROR)).isEmpty();
                assertThat(send(port, "accepted again")).startsWith("250");
            }
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** One mail of 300 KB to an internal recipient; the reply to MAIL FROM when refused, else the final reply. */
    private static String send(int port, String subject) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.test");
            String mail = command(out, in, "MAIL FROM:<sender@client.test>");
            if (!mail.startsWith("250")) {
                return mail;
            }
            command(out, in, "RCPT TO:<someone@example.com>");
            command(out, in, "DATA");
            String body = "Subject: " + subject + "\r\n\r\n" + "0123456789".repeat(10).concat("\r\n").repeat(3000);
            out.write((body + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return String.valueOf(line);
    }
}
