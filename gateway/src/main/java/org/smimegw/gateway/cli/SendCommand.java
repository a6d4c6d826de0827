package org.smimegw.gateway.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.concurrent.Callable;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code send}: a small SMTP client for test messages; prints the server's final reply. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a test message over SMTP and print the server's final reply.",
                "Example: smime-gateway send --from bob@example.net --to alice@example.com --subject hi --body hello"})
public final class SendCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2525",
            converter = HostAndPort.SmtpConverter.class,
            description = "SMTP server (default: ${DEFAULT-VALUE}).")
    HostAndPort server;

    @Option(names = "--from", paramLabel = "ADDRESS",
            description = "Envelope sender and From header (with --file: default the file's From).")
    String from;

    @Option(names = "--to", paramLabel = "ADDRESS", split = ",",
            description = "Recipient(s), repeatable or comma-separated (with --file: default the file's To/Cc).")
    List<String> to = new ArrayList<>();

    @Option(names = "--subject", defaultValue = "test message from smime-gateway send",
            description = "Subject (default: ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--body", description = "Plain-text body (default: a one-line greeting).")
    String body;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Send this RFC 5322 message file as it is instead of composing one.")
    Path file;

    @Option(names = "--starttls", description = "Require STARTTLS before sending.")
    boolean starttls;

    @Option(names = "--insecure",
            description = "With --starttls: accept any server certificate (e.g. the gateway's self-signed one).")
    boolean insecure;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Authenticate (AUTH PLAIN/LOGIN) as NAME; the password comes from the environment "
                    + "variable SMTP_PASSWORD or is prompted for.")
    String user;

    @Option(names = "--helo", description = "Name to send in EHLO (default: this host's name).")
    String helo;

    @Option(names = "--timeout", defaultValue = "60", description = "Socket timeout in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final Function<String, String> environment;

    /** The command as the gateway runs it: the password from the process environment. */
    public SendCommand() {
        this(System::getenv);
    }

    /** For tests: environment variables come from the caller. */
    SendCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        if (body != null && file != null) {
            throw new CliException("give either --body or --file, not both", ExitCodes.USAGE, null);
        }
        Session session = Session.getInstance(sessionProperties());
        MimeMessage message = file != null ? readFile(session) : compose(session);
        InternetAddress sender = envelopeSender(message);
        Address[] recipients = envelopeRecipients(message);
        session.getProperties().put("mail.smtp.from", sender.getAddress());

        String password = user == null ? null : password();
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect(server.host(), server.port(), user, password);
            if (user != null && !transport.supportsExtension("AUTH")) {
                // Jakarta Mail then connects without authenticating; the mail would go out unauthenticated
                throw new CliException(server.host() + ":" + server.port() + " does not offer AUTH"
                        + (starttls ? "" : " (some servers offer it only after --starttls)")
                        + "; nothing sent, not even unauthenticated as " + user);
            }
            transport.sendMessage(message, recipients);
            spec.commandLine().getOut().println(transport.getLastServerResponse().trim());
            return ExitCodes.OK;
        } catch (MessagingException e) {
            throw new CliException(serverReply(e), ExitCodes.FAILURE, e);
        }
    }

    private Properties sessionProperties() {
        Properties props = new Properties();
        String millis = String.valueOf(timeoutSeconds * 1000L);
        props.put("mail.smtp.connectiontimeout", millis);
        props.put("mail.smtp.timeout", millis);
        props.put("mail.smtp.writetimeout", millis);
        if (starttls) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.checkserveridentity", String.valueOf(!insecure));
            if (insecure) {
                props.put("mail.smtp.ssl.trust", "*");
            }
        }
        if (user != null) {
            props.put("mail.smtp.auth", "true");
        }
        if (helo != null) {
            props.put("mail.smtp.localhost", helo);
        }
        return props;
    }

    private MimeMessage compose(Session session) throws MessagingException, CliException {
        if (from == null || to.isEmpty()) {
            throw new CliException("--from and --to are needed (or --file with From and To headers)",
                    ExitCodes.USAGE, null);
        }
        MimeMessage message = new MimeMessage(session);
        message.setFrom(address(from));
        for (String recipient : to) {
            message.addRecipient(Message.RecipientType.TO, address(recipient));
        }
        message.setSubject(subject, "UTF-8");
        message.setText(body == null ? "Hello from smime-gateway send.\n" : body + "\n", "UTF-8");
        message.setSentDate(new java.util.Date());
        message.saveChanges();
        return message;
    }

    private MimeMessage readFile(Session session) throws IOException, MessagingException, CliException {
        if (!Files.isReadable(file)) {
            throw new CliException("cannot read " + file);
        }
        // file-backed: the content is streamed from the file, not loaded into memory
        return new MimeMessage(session, new SharedFileInputStream(file.toFile()));
    }

    private InternetAddress envelopeSender(MimeMessage message) throws MessagingException, CliException {
        if (from != null) {
            return address(from);
        }
        Address[] fromHeader = message.getFrom();
        if (fromHeader == null || fromHeader.length == 0 || !(fromHeader[0] instanceof InternetAddress a)) {
            throw new CliException("no sender: give --from", ExitCodes.USAGE, null);
        }
        return a;
    }

    private Address[] envelopeRecipients(MimeMessage message) throws MessagingException, CliException {
        if (!to.isEmpty()) {
            List<Address> list = new ArrayList<>();
            for (String recipient : to) {
                list.add(address(recipient));
            }
            return list.toArray(Address[]::new);
        }
        Address[] all = message.getAllRecipients();
        if (all == null || all.length == 0) {
            throw new CliException("no recipients: give --to", ExitCodes.USAGE, null);
        }
        return all;
    }

    private static InternetAddress address(String text) throws CliException {
        try {
            InternetAddress address = new InternetAddress(text, true);
            return address;
        } catch (AddressException e) {
            throw new CliException("'" + text + "' is not an e-mail address", ExitCodes.USAGE, null);
        }
    }

    private String password() throws CliException {
        String env = environment.apply("SMTP_PASSWORD");
        if (env != null) {
            return env;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException("--user needs a password: set SMTP_PASSWORD (no terminal to prompt on)");
        }
        char[] typed = console.readPassword("SMTP password for %s: ", user);
        if (typed == null) {
            throw new CliException("no password given");
        }
        return new String(typed);
    }

    /** The SMTP server's reply that made sending fail, else the client-side reason. */
    static String serverReply(MessagingException e) {
        for (Exception current = e; current != null;
             current = current instanceof MessagingException m ? m.getNextException() : null) {
            if (current instanceof SMTPSendFailedException || current instanceof SMTPAddressFailedException
                    || current instanceof SMTPSenderFailedException) {
                return current.getMessage().trim();
            }
        }
        return OneLineErrors.describe(e);
    }
}
