package org.smimegw.gateway.smtp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.codahale.metrics.MetricRegistry;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;

/**
 * Run in its own JVM with a small heap (see {@link LargeMessageHeapTest}): sends a ~50 MB message through the SMTP
 * front end into the spool, reads it back through {@code Spool.open()}, and prints the peak heap of both phases.
 */
public final class LargeMessageHeapCheck {
    static final int ATTACHMENT_BYTES = 37 * 1024 * 1024; // base64 makes ~50 MB on the wire

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        MetricRegistry metrics = new MetricRegistry();
        FileSpool spool = new FileSpool(work.resolve("spool"), Clock.systemUTC(), metrics);
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "gw.test", 64L * 1024 * 1024, null, null, null, null, null,
                null, null, null, null, null);
        SmtpFrontEnd fe = new SmtpFrontEnd(config, work.resolve("state"), spool, Clock.systemUTC(), metrics, e -> { });
        fe.start();
        resetPeaks();
        byte[] sentDigest;
        long wireBytes;
        try (RawSmtpClient c = new RawSmtpClient(fe.port())) {
            c.greeting();
            c.command("EHLO client.example");
            expect(c.command("MAIL FROM:<a@example.org>"), "250");
            expect(c.command("RCPT TO:<b@example.com>"), "250");
            expect(c.command("DATA"), "354");
            CountingOutputStream counting = new CountingOutputStream(new BufferedOutputStream(c.output(), 64 * 1024));
            sentDigest = writeMessage(counting);
            counting.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            counting.flush();
            wireBytes = counting.count;
            expect(c.reply(), "250 2.0.0 Ok: queued as");
        }
        long receivePeak = heapPeak();
        resetPeaks();
        SpoolEntry entry = spool.list(SpoolArea.INCOMING).get(0);
        MimeMessage m = spool.open(entry);
        MimeMultipart mp = (MimeMultipart) m.getContent();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = mp.getBodyPart(1).getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
        }
        boolean same = MessageDigest.isEqual(sentDigest, md.digest());
        long readPeak = heapPeak();
        fe.stop();
        System.out.println("WIRE_BYTES=" + wireBytes);
        System.out.println("SPOOL_FILE_BYTES=" + java.nio.file.Files.size(entry.contentFile()));
        System.out.println("MAX_HEAP=" + Runtime.getRuntime().maxMemory());
        System.out.println("PEAK_HEAP_RECEIVE=" + receivePeak);
        System.out.println("PEAK_HEAP_READBACK=" + readPeak);
        System.out.println("SUBJECT=" + m.getSubject());
        System.out.println("DIGEST_OK=" + same);
        System.out.println("SHA256=" + HexFormat.of().formatHex(sentDigest));
    }

    /** Writes a multipart message with a pseudo-random attachment, streaming; returns the attachment's SHA-256. */
    private static byte[] writeMessage(OutputStream out) throws Exception {
        String head = "From: a@example.org\r\nTo: b@example.com\r\nSubject: fifty megabytes\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b0undary\"\r\n\r\n--b0undary\r\n"
                + "Content-Type: text/plain\r\n\r\nsee attachment\r\n--b0undary\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        Base64.Encoder enc = Base64.getEncoder();
        byte[] chunk = new byte[57 * 1000]; // 57 raw bytes = one 76-character base64 line
        int remaining = ATTACHMENT_BYTES;
        while (remaining > 0) {
            int n = Math.min(chunk.length, remaining);
            random.nextBytes(chunk);
            md.update(chunk, 0, n);
            for (int off = 0; off < n; off += 57) {
                int len = Math.min(57, n - off);
                byte[] line = enc.encode(java.util.Arrays.copyOfRange(chunk, off, off + len));
                out.write(line);
                out.write('\r');
                out.write('\n');
            }
            remaining -= n;
        }
        out.write("--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII));
        return md.digest();
    }

    private static void expect(String reply, String prefix) throws IOException {
        if (!reply.startsWith(prefix)) {
            throw new IOException("expected " + prefix + " but got " + reply);
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    private static void resetPeaks() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks: an upper bound of the peak heap in use. */
    private static long heapPeak() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
