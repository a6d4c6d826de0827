package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;

/**
 * Moves a message's content in and out of S/MIME wrappers without loading a large one into memory
 * ({@link MessageFiles}).
 */
final class MimeMessages {

    private static final byte[] CRLF = {'\r', '\n'};

    private MimeMessages() {
    }

    static boolean isContentHeader(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("content-");
    }

    static boolean isEnvelopeHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("content-") || n.equals("mime-version");
    }

    /**
     * Whether a content part already has the headers Bouncy Castle's generators make sure of before signing or
     * encrypting ({@code SMIMEGenerator.makeContentBodyPart}): a Content-Type and, unless it is a multipart, a
     * Content-Transfer-Encoding. That method finds them out by saving a scratch message around the part, which
     * parses a multipart part by part (twice over for multipart/signed content) only to copy back the same headers.
     */
    static boolean hasContentHeaders(MimeBodyPart part) throws MessagingException {
        if (part.getHeader("Content-Type", null) == null) {
            return false;
        }
        return part.isMimeType("multipart/*") || part.getHeader("Content-Transfer-Encoding", null) != null;
    }

    /** The message's content (Content-* headers, blank line, raw body) as a body part held by {@link MessageFiles}. */
    static MimeBodyPart contentPart(MimeMessage message, MessageFiles files) throws IOException, MessagingException {
        return contentPart(message, files, null);
    }

    /**
     * As {@link #contentPart(MimeMessage, MessageFiles)}, as an RFC 9788 Cryptographic Payload when {@code hp} is
     * not null: the message's protected header fields (and HP-Outer records) join the Content-* fields, and the
     * Content-Type carries {@code hp} ({@link HeaderProtection}).
     */
    static MimeBodyPart contentPart(MimeMessage message, MessageFiles files, HeaderProtection.Mode hp)
            throws IOException, MessagingException {
        if (hp != null) {
            HeaderProtection.completeOrigin(message);
        }
        List<String> protectedLines = hp == null ? List.of() : HeaderProtection.payloadLines(message, hp);
        return files.part(out -> writeContentEntity(message, out, protectedLines, hp));
    }

    /**
     * The message's content for a clear signature: as {@link #contentPart}, but 8bit and binary leaf parts are
     * re-encoded (text as quoted-printable, the rest as base64), because multipart/signed content must survive
     * transports that are not 8-bit clean (RFC 8551 3.1.3).
     */
    static MimeBodyPart sevenBitContentPart(MimeMessage message, MessageFiles files, HeaderProtection.Mode hp)
            throws IOException, MessagingException {
        MimeBodyPart part = contentPart(message, files, hp);
        if (!needsSevenBit(part, 0)) {
            return part;
        }
        java.util.List<java.io.File> scratch = new java.util.ArrayList<>();
        try {
            String type = part.getContentType();
            boolean multipart = part.isMimeType("multipart/*");
            toSevenBit(part, files, 0, scratch);
            return files.part(out -> {
                MimeMessage holder = new MimeMessage(files.session());
                if (multipart) {
                    // the parsed multipart, with its converted leaves; saveChanges serialises it from the objects
                    holder.setContent((MimeMultipart) part.getContent());
                } else {
                    holder.setDataHandler(part.getDataHandler());
                    holder.setHeader("Content-Transfer-Encoding", part.getHeader("Content-Transfer-Encoding", null));
                }
                holder.setHeader("Content-Type", type);
                holder.saveChanges();
                // the protected fields the content part carried (RFC 9788), then the holder's Content-* and body
                writeLines(hp == null ? List.of() : HeaderProtection.payloadLines(message, hp), out);
                writeEntity(holder, out);
            });
        } finally {
            scratch.forEach(java.io.File::delete);
        }
    }

    private static final int MAX_DEPTH = 16;

    private static boolean needsSevenBit(jakarta.mail.Part part, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return false;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof jakarta.mail.Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                if (needsSevenBit(mp.getBodyPart(i), depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        String[] cte = part.getHeader("Content-Transfer-Encoding");
        String encoding = cte == null ? "7bit" : cte[0].trim().toLowerCase(Locale.ROOT);
        return encoding.equals("8bit") || encoding.equals("binary");
    }

    private static void toSevenBit(MimeBodyPart part, MessageFiles files, int depth, java.util.List<java.io.File> scratch)
            throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof MimeMultipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                toSevenBit((MimeBodyPart) mp.getBodyPart(i), files, depth + 1, scratch);
            }
            return;
        }
        if (!needsSevenBit(part, depth)) {
            return;
        }
        String type = part.getContentType();
        java.io.File raw = files.newTemporaryFile();
        scratch.add(raw);
        try (InputStream in = part.getRawInputStream(); OutputStream out = java.nio.file.Files.newOutputStream(raw.toPath())) {
            in.transferTo(out);
        }
        part.setDataHandler(new jakarta.activation.DataHandler(new jakarta.activation.FileDataSource(raw) {
            @Override
            public String getContentType() {
                return type;
            }
        }));
        part.setHeader("Content-Type", type);
        part.setHeader("Content-Transfer-Encoding", part.isMimeType("text/*") ? "quoted-printable" : "base64");
    }

    /** Content-* headers and body of a saved message. */
    private static void writeEntity(MimeMessage holder, OutputStream out) throws IOException, MessagingException {
        writeContentHeaders(holder, out);
        holder.writeTo(new SkipHeadersOutputStream(out));
    }

    /** The message's Content-* header lines and the blank line that ends them. */
    private static void writeContentHeaders(MimeMessage message, OutputStream out)
            throws IOException, MessagingException {
        writeContentHeaderLines(message, out);
        out.write(CRLF);
    }

    private static void writeContentHeaderLines(MimeMessage message, OutputStream out)
            throws IOException, MessagingException {
        writeContentHeaderLines(message, out, null);
    }

    /** The Content-* lines; with {@code hp}, the Content-Type carries it (one is written if the message has none). */
    private static void writeContentHeaderLines(MimeMessage message, OutputStream out, HeaderProtection.Mode hp)
            throws IOException, MessagingException {
        boolean typeWritten = false;
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0 && isContentHeader(line.substring(0, colon).trim())) {
                if (hp != null && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
                    if (typeWritten) {
                        continue;
                    }
                    line = "Content-Type: " + HeaderProtection.withHp(
                            jakarta.mail.internet.MimeUtility.unfold(line.substring(colon + 1)).trim(), hp);
                    typeWritten = true;
                }
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write(CRLF);
            }
        }
        if (hp != null && !typeWritten) {
            writeLines(List.of("Content-Type: " + HeaderProtection.withHp(null, hp)), out);
        }
    }

    private static void writeLines(List<String> lines, OutputStream out) throws IOException {
        for (String line : lines) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write(CRLF);
        }
    }

    /** Passes on what follows the first blank line (the body of an entity written with its headers). */
    private static final class SkipHeadersOutputStream extends java.io.FilterOutputStream {
        private int state;
        private boolean body;

        SkipHeadersOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (body) {
                out.write(b);
                return;
            }
            // look for CRLF CRLF
            state = switch (state) {
                case 0 -> b == '\r' ? 1 : 0;
                case 1 -> b == '\n' ? 2 : (b == '\r' ? 1 : 0);
                case 2 -> b == '\r' ? 3 : 0;
                case 3 -> b == '\n' ? 4 : (b == '\r' ? 1 : 0);
                default -> state;
            };
            if (state == 4) {
                body = true;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (body) {
                out.write(b, off, len);
            } else {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        }
    }

    /**
     * The message's content as an entity: its Content-* headers and raw body. A leaf body that is not 7bit but
     * declares no Content-Transfer-Encoding gets the one its bytes have ({@code 8bit} or {@code binary}): Bouncy
     * Castle's generators fill in a missing one from what Jakarta Mail guesses for the data (base64,
     * quoted-printable) without encoding the body, so the part would declare an encoding its bytes do not have.
     */
    static void writeContentEntity(MimeMessage message, OutputStream out) throws IOException, MessagingException {
        writeContentEntity(message, out, List.of(), null);
    }

    private static void writeContentEntity(MimeMessage message, OutputStream out, List<String> protectedLines,
                                           HeaderProtection.Mode hp) throws IOException, MessagingException {
        writeLines(protectedLines, out);
        writeContentHeaderLines(message, out, hp);
        String undeclared = undeclaredTransferEncoding(message);
        if (undeclared != null) {
            out.write(("Content-Transfer-Encoding: " + undeclared).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
        }
        out.write(CRLF);
        try (InputStream raw = message.getRawInputStream()) {
            raw.transferTo(out);
        }
    }

    private static final int MAX_LINE = 998;

    /**
     * {@code 8bit} or {@code binary} for a leaf body without a Content-Transfer-Encoding header whose bytes are not
     * 7bit (RFC 2045 section 2.7-2.9: octets over 127 make it 8bit; NUL or lines over 998 octets binary), else null.
     */
    private static String undeclaredTransferEncoding(MimeMessage message) throws IOException, MessagingException {
        if (message.getHeader("Content-Transfer-Encoding", null) != null || message.isMimeType("multipart/*")
                || message.isMimeType("message/*")) {
            return null;
        }
        boolean eightBit = false;
        int line = 0;
        byte[] buf = new byte[8192];
        try (InputStream raw = message.getRawInputStream()) {
            int n;
            while ((n = raw.read(buf)) != -1) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == 0) {
                        return "binary";
                    }
                    eightBit |= b < 0;
                    line = b == '\n' ? 0 : line + 1;
                    if (line > MAX_LINE + 1) {
                        return "binary";
                    }
                }
            }
        }
        return eightBit ? "8bit" : null;
    }

    /**
     * A message held by {@link MessageFiles} with {@code original}'s non-content headers (From, To, Subject, Message-ID...) and
     * {@code content} as its body.
     */
    static MimeMessage withContent(MimeMessage original, Object content, MessageFiles files)
            throws IOException, MessagingException {
        return withContent(original, content, false, files);
    }

    /** As above; {@code obscure} applies RFC 9788's hcp_baseline to the outer header section. */
    static MimeMessage withContent(MimeMessage original, Object content, boolean obscure, MessageFiles files)
            throws IOException, MessagingException {
        MimeMessage out = new org.smimegw.mailets.mime.RawBodyMimeMessage(files.session());
        copyOuterHeaders(original, out);
        if (obscure) {
            HeaderProtection.obscureOuter(out);
        }
        setContent(out, content, files);
        return files.message(out::writeTo);
    }

    /**
     * What {@link #withContent} would put under the original's headers, as an entity: the Content-* headers,
     * a blank line and the body, written by the returned writer when it runs (for a signature: signed then). The
     * bytes are those {@link #writeContentEntity} would write of the message {@link #withContent} returns.
     */
    static MessageFiles.Writer contentEntity(Object content, MessageFiles files) throws MessagingException {
        MimeMessage holder = new org.smimegw.mailets.mime.RawBodyMimeMessage(files.session());
        setContent(holder, content, files);
        return out -> writeEntity(holder, out);
    }

    private static void setContent(MimeMessage out, Object content, MessageFiles files) throws MessagingException {
        if (content instanceof MimeMultipart multipart) {
            out.setDataHandler(files.dataHandler(multipart, multipart.getContentType())); // as setContent(multipart)
            multipart.setParent(out);
        } else if (content instanceof MimeBodyPart part) {
            out.setDataHandler(files.withCachedHandlers(part.getDataHandler()));
            Enumeration<Header> headers = part.getAllHeaders();
            while (headers.hasMoreElements()) {
                Header h = headers.nextElement();
                out.setHeader(h.getName(), h.getValue());
            }
        } else {
            throw new IllegalArgumentException("unsupported content " + content);
        }
        out.saveChanges();
    }

    /**
     * The message's content entity ({@link #writeContentEntity}) as a body part that writes it straight from the
     * message whenever it is written, without a copy or a parse: when the entity carries the headers Bouncy
     * Castle's generators need ({@link #hasContentHeaders}), else empty.
     */
    static java.util.Optional<MimeBodyPart> streamedContentPart(MimeMessage message)
            throws IOException, MessagingException {
        if (message.getHeader("Content-Type", null) == null) {
            return java.util.Optional.empty();
        }
        boolean complete = message.isMimeType("multipart/*")
                || message.getHeader("Content-Transfer-Encoding", null) != null
                || undeclaredTransferEncoding(message) != null;
        return complete ? java.util.Optional.of(new EntityPart(out -> writeContentEntity(message, out)))
                : java.util.Optional.empty();
    }

    /**
     * A body part that is only ever written, as a whole entity (headers and body), by its writer: content handed to
     * Bouncy Castle's enveloped-data generators, which write the part into the encrypting stream
     * ({@code content.writeTo}) and read nothing else of it.
     */
    static final class EntityPart extends MimeBodyPart {
        private final MessageFiles.Writer writer;

        EntityPart(MessageFiles.Writer writer) {
            this.writer = writer;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException, MessagingException {
            writer.writeTo(out);
        }
    }

    /**
     * A message held by {@link MessageFiles} in place of {@code outer}, with {@code entity}'s body (e.g. decrypted
     * content): its header block is what {@link DeliveredHeaders} decides (the outer fields, and the entity's
     * Content-* fields only).
     */
    static MimeMessage withEntity(MimeMessage outer, MimeBodyPart entity, HeaderProtection.Payload promoted,
                                  MessageFiles files) throws IOException, MessagingException {
        return files.message(out -> {
            DeliveredHeaders.write(outer, entity, promoted, out);
            out.write(CRLF);
            try (InputStream body = entity.getRawInputStream()) {
                body.transferTo(out);
            }
        });
    }

    /**
     * Throws unless {@code part} is an entity the rest of the pipeline can parse: at most one Content-Type and one
     * Content-Transfer-Encoding, a Content-Type and a Content-Disposition that parse, and for a multipart each part
     * likewise (down to {@link #MAX_DEPTH} levels, where checking stops). The exception's message names the problem
     * in fixed words, never the header it could not parse.
     */
    static void requireReadable(Part part) throws MessagingException, IOException {
        requireReadable(part, 0);
    }

    private static void requireReadable(Part part, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        try {
            String[] types = part.getHeader("Content-Type");
            String[] encodings = part.getHeader("Content-Transfer-Encoding");
            if ((types != null && types.length > 1) || (encodings != null && encodings.length > 1)) {
                throw new MessagingException("an entity with more than one Content-Type or Content-Transfer-Encoding");
            }
            if (types != null) {
                new ContentType(types[0]);
            }
            String[] dispositions = part.getHeader("Content-Disposition");
            if (dispositions != null) {
                new ContentDisposition(dispositions[0]);
            }
            if (part.isMimeType("multipart/*")) {
                if (!(part.getContent() instanceof Multipart multipart)) {
                    throw new MessagingException("a multipart that does not parse as one");
                }
                for (int i = 0; i < multipart.getCount(); i++) {
                    requireReadable(multipart.getBodyPart(i), depth + 1);
                }
            }
        } catch (ParseException e) {
            throw new MessagingException("an entity whose Content-Type or Content-Disposition does not parse");
        }
    }

    static void copyOuterHeaders(MimeMessage from, MimeMessage to) throws MessagingException {
        Enumeration<String> lines = from.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            String line = lines.nextElement();
            int colon = line.indexOf(':');
            if (colon > 0 && !isEnvelopeHeader(line.substring(0, colon).trim())) {
                to.addHeaderLine(line);
            }
        }
    }
}
