package org.smimegw.mailets.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Optional;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.io.MaxHeaderLimitException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * Limits on a message's MIME structure, so that no message can make the gateway recurse, allocate or parse without
 * bound: how deep entities nest (multiparts and attached messages), how many body parts there are, how large one
 * header section is. Within them, every part of the gateway works in memory and stack proportional to the limits,
 * not to what a sender chose.
 *
 * <p>{@link #check} reads the message once with mime4j's streaming parser ({@code MimeTokenStream}: a state machine
 * with its own stack, no recursion, no body held) and stops at the first limit exceeded. A message without nested
 * entities (a single text or attachment) is judged from its header alone, without reading its body.
 *
 * @param maxDepth       deepest nesting of entities (a part of the top-level multipart is at depth 1); default 100,
 *                       Postfix's {@code mime_nesting_limit}
 * @param maxParts       most body parts in the whole message, at any depth; default 10,000
 * @param maxHeaderBytes largest header section of the message or of any part, in bytes; default 256 KiB (Exchange's
 *                       {@code MaxHeaderSize})
 */
public record MimeLimits(int maxDepth, int maxParts, int maxHeaderBytes) {
    public static final int DEFAULT_MAX_DEPTH = 100;
    public static final int DEFAULT_MAX_PARTS = 10_000;
    public static final int DEFAULT_MAX_HEADER_BYTES = 256 * 1024;

    public MimeLimits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1, is " + maxDepth);
        }
        if (maxParts < 1) {
            throw new IllegalArgumentException("maxParts must be at least 1, is " + maxParts);
        }
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, is " + maxHeaderBytes);
        }
    }

    public static MimeLimits defaults() {
        return new MimeLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_PARTS, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Why {@code message} exceeds these limits (one line: which limit, and its value), or empty when it does not.
     * Reads the raw body (not decoded); a body that does not parse as MIME is not over a limit.
     */
    public Optional<String> check(MimeMessage message) throws MessagingException, IOException {
        long header = 0;
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            header += lines.nextElement().length() + 2;
        }
        if (header > maxHeaderBytes) {
            return Optional.of(headerTooLarge());
        }
        String contentType = message.getHeader("Content-Type", null);
        if (contentType == null || !isComposite(contentType)) {
            return Optional.empty();
        }
        try (InputStream body = message.getRawInputStream()) {
            return check(body, contentType);
        }
    }

    /** As {@link #check(MimeMessage)} for a body given as raw bytes with its top-level Content-Type. */
    public Optional<String> check(InputStream body, String contentType) throws IOException {
        MimeConfig config = new MimeConfig.Builder()
                .setMaxLineLen(-1) // the SMTP front end limits lines
                .setMaxHeaderCount(-1) // counted here in bytes
                .setMaxHeaderLen(maxHeaderBytes) // one field cannot be larger than its section
                .setMaxContentLen(-1)
                .build();
        MimeTokenStream tokens = new MimeTokenStream(config);
        tokens.parseHeadless(body, contentType);
        int depth = 0;
        int parts = 0;
        long header = 0;
        try {
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                switch (state) {
                    case T_START_BODYPART -> {
                        if (++parts > maxParts) {
                            return Optional.of("more than " + maxParts + " MIME parts (limit maxParts)");
                        }
                        if (++depth > maxDepth) {
                            return Optional.of(tooDeep());
                        }
                    }
                    case T_END_BODYPART -> depth--;
                    case T_START_MESSAGE -> {
                        if (++depth > maxDepth) {
                            return Optional.of(tooDeep());
                        }
                    }
                    case T_END_MESSAGE -> depth--;
                    case T_START_HEADER -> header = 0;
                    case T_FIELD -> {
                        header += tokens.getField().getRaw().length() + 2;
                        if (header > maxHeaderBytes) {
                            return Optional.of(headerTooLarge());
                        }
                    }
                    default -> {
                        // bodies, preambles and epilogues are skipped, not read into memory
                    }
                }
            }
        } catch (MaxHeaderLimitException e) {
            return Optional.of(headerTooLarge());
        } catch (MimeException e) {
            return Optional.empty(); // malformed, which is for the S/MIME mailets to judge, not over a limit
        }
        return Optional.empty();
    }

    private static boolean isComposite(String contentType) {
        String type = contentType.stripLeading().toLowerCase(java.util.Locale.ROOT);
        return type.startsWith("multipart/") || type.startsWith("message/");
    }

    private String tooDeep() {
        return "MIME entities nested deeper than " + maxDepth + " levels (limit maxDepth)";
    }

    private String headerTooLarge() {
        return "a header section larger than " + maxHeaderBytes + " bytes (limit maxHeaderBytes)";
    }
}
