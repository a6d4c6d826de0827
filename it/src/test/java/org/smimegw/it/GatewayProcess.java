package org.smimegw.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;

/**
 * A gateway started as a separate process ({@code smime-gateway run} through the launcher, as an admin or systemd
 * starts it): its output up to the ready line, the ports printed there, reading the embedded mailbox over IMAP, and
 * a graceful stop (SIGTERM).
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern SMTP = Pattern.compile("gateway ready: smtp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern IMAP = Pattern.compile("imap 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern STARTED = Pattern.compile("started in (\\d+) ms, (\\d+) ms since JVM start");

    private final Process process;
    private final BufferedReader out;
    private final StringBuilder output = new StringBuilder();
    private final String ready;

    private GatewayProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String found = null;
        while ((line = out.readLine()) != null) {
            output.append(line).append('\n');
            if (line.startsWith("gateway ready: ")) {
                found = line;
                break;
            }
        }
        if (found == null) {
            throw new AssertionError("no ready line; the gateway printed:\n" + output);
        }
        this.ready = found;
    }

    /** Starts {@code command} in {@code directory} with exactly {@code environment} and waits for the ready line. */
    static GatewayProcess start(List<String> command, Path directory, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        System.out.println("$ " + String.join(" ", command) + "   # in " + directory + ", environment " + environment);
        Process process = builder.start();
        try {
            return new GatewayProcess(process);
        } catch (RuntimeException | Error | IOException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    String readyLine() {
        return ready;
    }

    int smtpPort() {
        return group(SMTP, ready, 1);
    }

    int imapPort() {
        return group(IMAP, ready, 1);
    }

    /** "started in N ms, M ms since JVM start" of the ready line. */
    Duration sinceJvmStart() {
        return Duration.ofMillis(group(STARTED, ready, 2));
    }

    private static int group(Pattern pattern, String text, int group) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("'" + pattern + "' not in: " + text);
        }
        return Integer.parseInt(m.group(group));
    }

    /** Waits until {@code user}'s INBOX in the embedded mailbox (login = password = address) holds a message with
     * {@code subject}; returns its text headers and body. */
    String awaitMessage(String user, String subject, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", String.valueOf(imapPort()));
        while (true) {
            try (Store store = Session.getInstance(props).getStore("imap")) {
                store.connect(user, user);
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                try {
                    for (Message message : inbox.getMessages()) {
                        if (subject.equals(message.getSubject())) {
                            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                            message.writeTo(bytes);
                            return bytes.toString(StandardCharsets.UTF_8);
                        }
                    }
                } finally {
                    inbox.close(false);
                }
            } catch (jakarta.mail.AuthenticationFailedException | jakarta.mail.FolderNotFoundException e) {
                // the mailbox appears with the first delivery to it
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message '" + subject + "' for " + user + " within " + timeout
                        + "; the gateway printed:\n" + output);
            }
            Thread.sleep(500);
        }
    }

    /** SIGTERM, then waits for the exit; returns everything printed after the ready line. */
    String stop() throws Exception {
        process.toHandle().destroy();
        StringBuilder rest = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            rest.append(line).append('\n');
        }
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            throw new AssertionError("the gateway did not stop within 180 s:\n" + rest);
        }
        output.append(rest);
        return rest.toString();
    }

    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
