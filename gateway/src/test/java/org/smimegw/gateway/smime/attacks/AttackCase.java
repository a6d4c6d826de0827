package org.smimegw.gateway.smime.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.internet.MimeMessage;

/**
 * One attack: what the attacker sends (a raw message and its envelope), and the safe verdict the gateway must
 * deliver it with. Every case's message carries {@code X-Attack-Case: <id>} in its outer header block (unsigned,
 * outside any encryption), so the delivered copy can be found in the next hop's mailbox.
 *
 * @param attackClass the published attack class it comes from
 * @param id          short unique name
 * @param sends       what the attacker sends, in words
 * @param safeVerdict what the gateway must do with it, in words
 * @param raw         the message as sent (one char per byte)
 * @param from        envelope sender
 * @param to          envelope recipients
 * @param inspect     whose delivered copy is checked
 * @param expectation the checks on the delivered copy
 */
record AttackCase(AttackClass attackClass, String id, String sends, String safeVerdict, String raw, String from,
                  List<String> to, String inspect, Expectation expectation) {

    static final String HEADER = "X-Attack-Case";

    /** The message as it goes on the wire: the case's marker field first. */
    String wire() {
        return Raw.prepend(HEADER + ": " + id, raw);
    }

    /** The published attack classes, and the controls that must stay valid. */
    enum AttackClass {
        CMS("Johnny, You Are Fired: CMS signature tricks"),
        MIME_WRAPPING("Johnny, You Are Fired: MIME wrapping"),
        ID_SPOOFING("Johnny, You Are Fired: ID spoofing"),
        UI_REDRESSING("Johnny, You Are Fired: UI redressing"),
        EFAIL("EFAIL: CBC malleability gadgets and direct exfiltration"),
        HEADER_PROTECTION("RFC 9788 threat model: headers outside and inside the cryptographic envelope"),
        CONTROL("controls: legitimate mail that must keep its verdict");

        private final String title;

        AttackClass(String title) {
            this.title = title;
        }

        String title() {
            return title;
        }
    }

    /** What was delivered for a case, and what was sent. */
    record Delivered(MimeMessage message, String raw, String sent) {
        List<String> header(String name) throws Exception {
            String[] values = message.getHeader(name);
            return values == null ? List.of() : Arrays.asList(values);
        }
    }

    /** Checks on the delivered copy; throws AssertionError. */
    @FunctionalInterface
    interface Check {
        void check(Delivered d) throws Exception;
    }

    /** The checks of a case, combined. */
    record Expectation(List<Check> checks) {
        static Expectation of(Check... checks) {
            return new Expectation(List.of(checks));
        }

        Expectation and(Check... more) {
            List<Check> all = new ArrayList<>(checks);
            all.addAll(List.of(more));
            return new Expectation(all);
        }

        void verify(Delivered d) throws Exception {
            for (Check c : checks) {
                c.check(d);
            }
        }
    }

    // ---- checks the cases share ----

    /** X-SMIME-Status is exactly this value. */
    static Check status(String value) {
        return d -> assertThat(d.header("X-SMIME-Status")).as("X-SMIME-Status").containsExactly(value);
    }

    /** X-SMIME-Status is one of these values (outcomes that depend on which bytes CBC garbles). */
    static Check statusIn(String... values) {
        return d -> assertThat(d.header("X-SMIME-Status")).as("X-SMIME-Status").hasSize(1)
                .first().isIn((Object[]) values);
    }

    /** X-SMIME-Decryption is this outcome (the reason, in parentheses, may follow). */
    static Check decryption(String outcome) {
        return d -> assertThat(d.header("X-SMIME-Decryption")).as("X-SMIME-Decryption").hasSize(1)
                .first().asString().matches(v -> v.equals(outcome) || v.startsWith(outcome + " ("),
                        "is " + outcome);
    }

    /** X-SMIME-Decryption is one of these outcomes. */
    static Check decryptionIn(String... outcomes) {
        return d -> {
            List<String> values = d.header("X-SMIME-Decryption");
            assertThat(values).as("X-SMIME-Decryption").hasSize(1);
            assertThat(Arrays.stream(outcomes).anyMatch(o -> values.get(0).equals(o)
                    || values.get(0).startsWith(o + " ("))).as(values.get(0) + " is one of " + List.of(outcomes))
                    .isTrue();
        };
    }

    static Check noDecryptionHeader() {
        return d -> assertThat(d.header("X-SMIME-Decryption")).as("X-SMIME-Decryption").isEmpty();
    }

    /** The header occurs exactly once, with this value. */
    static Check only(String name, String value) {
        return d -> assertThat(d.header(name)).as(name).containsExactly(value);
    }

    /** No verdict header exposes Java or library internals (exception names, null-pointer messages). */
    static Check noInternals() {
        return d -> {
            for (String name : List.of("X-SMIME-Status", "X-SMIME-Reason", "X-SMIME-Decryption", "X-SMIME-Signer")) {
                for (String v : d.header(name)) {
                    assertThat(v).as(name).doesNotContain("Exception", "java.", "org.bouncycastle", "Cannot invoke",
                            "null");
                }
            }
        };
    }

    /** X-SMIME-Reason says this (among its reasons). */
    static Check reason(String text) {
        return d -> assertThat(d.header("X-SMIME-Reason")).as("X-SMIME-Reason").hasSize(1).first().asString()
                .contains(text);
    }

    /** The header does not occur. */
    static Check absent(String name) {
        return d -> assertThat(d.header(name)).as(name).isEmpty();
    }

    /** X-SMIME-Signer names this address, and no other address. */
    static Check signer(String address) {
        return d -> assertThat(d.header("X-SMIME-Signer")).as("X-SMIME-Signer").hasSize(1).first().asString()
                .startsWith(address + " (");
    }

    /** The delivered body is the body sent, byte for byte (the mail went on as it came). */
    static Check bodyUnchanged() {
        return d -> assertThat(Raw.body(d.raw()).stripTrailing()).as("delivered body")
                .isEqualTo(Raw.body(d.sent()).stripTrailing());
    }

    /** This text appears nowhere in the delivered header block. */
    static Check notInHeaders(String text) {
        return d -> assertThat(Raw.headers(d.raw())).as("delivered header block").doesNotContain(text);
    }

    /** This text appears nowhere in the delivered message. */
    static Check nowhere(String text) {
        return d -> assertThat(d.raw()).as("delivered message").doesNotContain(text);
    }

    /** The delivered top-level Content-Type starts with this. */
    static Check contentType(String prefix) {
        return d -> assertThat(d.message().getContentType()).as("Content-Type").startsWith(prefix);
    }

    /** A verdict of valid only ever comes with one From header, and every address in it is the signer's. */
    static Check validOnlyFor(String signer) {
        return d -> {
            if (d.header("X-SMIME-Status").contains("valid")) {
                assertThat(d.header("From")).as("From of a valid mail").hasSize(1);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[^\\s<>()\",;:@]+@[^\\s<>()\",;:@]+")
                        .matcher(d.header("From").get(0));
                while (m.find()) {
                    assertThat(m.group().toLowerCase(java.util.Locale.ROOT)).as("address shown in From").isEqualTo(signer);
                }
            }
        };
    }
}
