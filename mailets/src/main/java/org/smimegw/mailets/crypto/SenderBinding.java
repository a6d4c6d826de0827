package org.smimegw.mailets.crypto;

import java.net.IDN;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.smimegw.certstore.Certificates;

/**
 * Whether a signature speaks for the message's sender: the rule behind {@code X-SMIME-Status: valid}.
 * <ol>
 * <li>The message has exactly one {@code From} header, and it holds exactly one mailbox (no group, no list, no
 * header that does not parse as RFC 5322 address syntax). Otherwise the sender is ambiguous: a client may show
 * another mailbox than the one checked.</li>
 * <li>That mailbox's addr-spec equals an address of the signer's certificate
 * ({@link Certificates#senderAddresses}: subjectAltName rfc822Name, or the subject's emailAddress when the
 * certificate has no subjectAltName), compared case-insensitively after Unicode NFC and with the domain in its IDNA
 * ASCII form ({@code bücher.example} = {@code xn--bcher-kva.example}).</li>
 * <li>Nothing else in the From header looks like an address other than the signer's: a display name, a comment or
 * an encoded-word that reads {@code manager@bigcorp.example} while the mailbox is eve's is what a person sees, so
 * it is a mismatch.</li>
 * </ol>
 * Parsed once per message ({@link #of}); {@link #bind} then judges each signer. Immutable.
 */
public final class SenderBinding {

    /** How a signer relates to the From header. */
    public enum Outcome {
        /** The one From mailbox is the signer's. */
        BOUND,
        /** Not exactly one From header with exactly one mailbox. */
        AMBIGUOUS,
        /** One mailbox, but not the signer's, or its display text shows another address. */
        MISMATCH
    }

    /** The judgement for one signer: the outcome, the signer address it bound to (BOUND only), and why not. */
    public record Result(Outcome outcome, String address, String reason) {
        public boolean bound() {
            return outcome == Outcome.BOUND;
        }
    }

    /** Something shaped like an address in display text (after NFKC, so a fullwidth at-sign counts too). */
    private static final Pattern ADDRESS_LIKE = Pattern.compile("[^\\s<>()\\[\\]\",;:@]+@[^\\s<>()\\[\\]\",;:@]+");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?[^?\\s]+\\?[bBqQ]\\?[^?\\s]*\\?=");

    private final String ambiguity;
    private final String mailbox;
    private final Set<String> shown;

    private SenderBinding(String ambiguity, String mailbox, Set<String> shown) {
        this.ambiguity = ambiguity;
        this.mailbox = mailbox;
        this.shown = shown;
    }

    /** Reads the message's From header(s); never throws. */
    public static SenderBinding of(MimeMessage message) {
        String[] headers;
        try {
            headers = message.getHeader("From");
        } catch (MessagingException e) {
            return ambiguous("the header block cannot be read");
        }
        if (headers == null || headers.length == 0) {
            return ambiguous("the message has no From header");
        }
        if (headers.length > 1) {
            return ambiguous("the message has " + headers.length + " From headers; a client may show any of them");
        }
        String value = utf8(MimeUtility.unfold(headers[0]));
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parseHeader(value, true);
        } catch (AddressException e) {
            return ambiguous("the From header is not a valid address list");
        }
        if (addresses.length != 1) {
            return ambiguous(addresses.length == 0 ? "the From header holds no mailbox"
                    : "the From header holds " + addresses.length + " mailboxes; a client may show any of them");
        }
        InternetAddress from = addresses[0];
        if (from.isGroup()) {
            return ambiguous("the From header is a group, not one mailbox");
        }
        String address = from.getAddress();
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return ambiguous("the From mailbox is not a complete address");
        }
        return new SenderBinding(null, normalise(address), shownAddresses(value, from));
    }

    /** Judges one signer's certificate against the From header. */
    public Result bind(X509Certificate signer) {
        if (ambiguity != null) {
            return new Result(Outcome.AMBIGUOUS, null, "ambiguous sender: " + ambiguity);
        }
        Set<String> certified = new LinkedHashSet<>();
        for (String a : Certificates.senderAddresses(signer)) {
            certified.add(normalise(a));
        }
        if (!certified.contains(mailbox)) {
            return new Result(Outcome.MISMATCH, null, certified.isEmpty()
                    ? "the signer's certificate names no e-mail address, so it cannot vouch for From " + mailbox
                    : "signed by " + String.join(", ", certified) + ", but the message is From " + mailbox);
        }
        for (String s : shown) {
            if (!certified.contains(s)) {
                return new Result(Outcome.MISMATCH, null, "the From header also shows " + s
                        + " (as display name or comment), which is not the signer " + mailbox);
            }
        }
        return new Result(Outcome.BOUND, mailbox, null);
    }

    /** The one From mailbox, normalised, when the header has exactly one. */
    public Optional<String> mailbox() {
        return Optional.ofNullable(mailbox);
    }

    /**
     * An address in the form addresses are compared in: NFC, lower case, the domain as IDNA ASCII (unchanged when it
     * is not a valid IDN, so it matches nothing it should not).
     */
    static String normalise(String address) {
        String a = Normalizer.normalize(address.trim(), Normalizer.Form.NFC);
        int at = a.lastIndexOf('@');
        if (at < 0) {
            return a.toLowerCase(Locale.ROOT);
        }
        String domain = a.substring(at + 1);
        try {
            domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            // not a valid IDN: compared as written
        }
        return (a.substring(0, at) + "@" + domain).toLowerCase(Locale.ROOT);
    }

    /**
     * Every address a reader could see in the From header besides the mailbox itself: in the display name, in
     * comments, in encoded-words (decoded), fullwidth or other compatibility forms folded by NFKC.
     */
    private static Set<String> shownAddresses(String value, InternetAddress from) {
        StringBuilder text = new StringBuilder(decodeEncodedWords(value));
        if (from.getPersonal() != null) {
            text.append(' ').append(from.getPersonal());
        }
        String visible = Normalizer.normalize(text.toString(), Normalizer.Form.NFKC);
        Set<String> out = new LinkedHashSet<>();
        Matcher m = ADDRESS_LIKE.matcher(visible);
        while (m.find()) {
            out.add(normalise(m.group()));
        }
        return out;
    }

    private static String decodeEncodedWords(String value) {
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String decoded;
            try {
                decoded = MimeUtility.decodeWord(m.group());
            } catch (Exception e) {
                decoded = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(" " + decoded + " "));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Header text as Jakarta Mail reads it maps each byte to one char; an RFC 6532 header in raw UTF-8 is decoded
     * here (a value that is not valid UTF-8 stays as read).
     */
    private static String utf8(String value) {
        boolean eightBit = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return value;
            }
            eightBit |= c > 0x7F;
        }
        if (!eightBit) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }

    private static SenderBinding ambiguous(String why) {
        return new SenderBinding(why, null, Set.of());
    }
}
