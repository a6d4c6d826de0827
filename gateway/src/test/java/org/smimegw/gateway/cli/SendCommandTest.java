package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendCommandTest {
    @TempDir
    Path dir;
    private GreenMail greenMail;
    private String server;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        greenMail.start();
        server = "127.0.0.1:" + greenMail.getSmtp().getPort();
    }

    @AfterEach
    void stop() {
        greenMail.stop();
    }

    @Test
    void composesAndSendsAndPrintsTheFinalReply() throws Exception {
        MainTest.Result result = MainTest.run("send", "--server", server, "--from", "bob@example.net",
                "--to", "alice@example.com,carol@example.com", "--subject", "Grüße", "--body", "hello alice");

        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(result.out().strip()).startsWith("250");
        assertThat(greenMail.waitForIncomingEmail(60_000, 2)).isTrue();
        MimeMessage received = greenMail.getReceivedMessagesForDomain("example.com")[0];
        assertThat(received.getSubject()).isEqualTo("Grüße");
        assertThat(received.getFrom()[0].toString()).isEqualTo("bob@example.net");
        assertThat(((String) received.getContent()).strip()).isEqualTo("hello alice");
    }

    @Test
    void sendsAFileAsItIsWithEnvelopeFromItsHeaders() throws Exception {
        Path file = dir.resolve("message.eml");
        Files.writeString(file, """
                From: Dave <dave@example.net>\r
                To: erin@example.com\r
                Subject: from a file\r
                X-Marker: kept-as-is\r
                \r
                body line\r
                """);
        MainTest.Result result = MainTest.run("send", "--server", server, "--file", file.toString());

        assertThat(result.code()).isZero();
        assertThat(greenMail.waitForIncomingEmail(60_000, 1)).isTrue();
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getHeader("X-Marker")).containsExactly("kept-as-is");
        assertThat(received.getAllRecipients()[0].toString()).isEqualTo("erin@example.com");
    }

    @Test
    void unreachableServerIsOneLineAndNonZero() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        MainTest.Result result = MainTest.run("send", "--server", "127.0.0.1:" + closedPort,
                "--from", "a@example.net", "--to", "b@example.com");
        assertThat(result.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err().lines()).hasSize(1);
        assertThat(result.err()).startsWith("send: ").containsIgnoringCase("connect");
    }

    @Test
    void badAddressIsAUsageError() {
        MainTest.Result result = MainTest.run("send", "--server", server, "--from", "not an address",
                "--to", "b@example.com");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("'not an address' is not an e-mail address");
    }

    @Test
    void badServerOption() {
        MainTest.Result result = MainTest.run("send", "--server", "127.0.0.1:notaport", "--from", "a@example.net",
                "--to", "b@example.com");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no valid port");
    }

    private static MainTest.Result sendWithPassword(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new SendCommand(java.util.Map.of("SMTP_PASSWORD", "s3cret")::get));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler(new OneLineErrors());
        int code = cli.execute(args);
        return new MainTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void userAgainstAServerWithoutAuthFailsAndSendsNothing() throws Exception {
        // the embedded mailbox's SMTP server offers no AUTH
        try (org.smimegw.gateway.app.EmbeddedMailbox noAuth = new org.smimegw.gateway.app.EmbeddedMailbox(
                new org.smimegw.gateway.config.EmbeddedMailboxConfig(true, "127.0.0.1", 0, 0))) {
            noAuth.start();
            String address = "127.0.0.1:" + noAuth.smtpAddress().getPort();

            MainTest.Result result = sendWithPassword("--server", address, "--user", "relay",
                    "--from", "bob@example.net", "--to", "alice@example.com", "--body", "hello");

            assertThat(result.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(result.err().strip()).isEqualTo("send: " + address + " does not offer AUTH (some servers offer "
                    + "it only after --starttls); nothing sent, not even unauthenticated as relay");
            assertThat(noAuth.greenMail().getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void userAuthenticatesWhereTheServerOffersAuth() throws Exception {
        greenMail.setUser("relay", "s3cret");
        MainTest.Result result = sendWithPassword("--server", server, "--user", "relay",
                "--from", "bob@example.net", "--to", "alice@example.com", "--body", "hello");
        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(greenMail.waitForIncomingEmail(60_000, 1)).isTrue();
    }
}
