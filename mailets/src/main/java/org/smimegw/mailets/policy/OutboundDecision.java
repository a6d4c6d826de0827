package org.smimegw.mailets.policy;

import java.util.List;
import java.util.Optional;

import org.smimegw.mailets.crypto.HeaderProtection;

/**
 * What policy says to do with a mail from an internal sender to one recipient: send (signed and/or encrypted, or as
 * it is), refuse ({@link PolicyStatus#REFUSED}: at RCPT time when known there, else a DSN), or defer
 * ({@link PolicyStatus#DEFERRED}: a directory or CRL could not be asked; never downgraded to clear text).
 * {@link #setting()} and {@link #outcome()} are the labels for the decision's log line and metric.
 */
public sealed interface OutboundDecision {

    /** "send", "refuse" or "defer". */
    String outcome();

    /** The setting that decided (e.g. RequireEncryptedSMIMEMessages), or "none". */
    String setting();

    /** One sentence for the log, the SMTP reply or the DSN. */
    String reason();

    /**
     * @param headerProtection RFC 9788 header protection for the message as planned (SMIMEHeaderProtection):
     *                         CIPHER when encrypted, CLEAR when signed only, empty for none
     */
    record Send(Optional<SigningPlan> signing, Optional<EncryptionPlan> encryption, boolean tripleWrap,
                Optional<HeaderProtection.Mode> headerProtection, String setting, String reason, List<String> notes)
            implements OutboundDecision {
        public Send {
            notes = List.copyOf(notes);
        }

        @Override
        public String outcome() {
            return "send";
        }
    }

    record Refuse(String setting, String reason) implements OutboundDecision {

        @Override
        public String outcome() {
            return "refuse";
        }

        /** e.g. "550 5.7.1 encryption required ..." for a RCPT reply. */
        public String smtpReply() {
            return PolicyStatus.REFUSED.reply(reason);
        }
    }

    record Defer(String setting, String reason) implements OutboundDecision {

        @Override
        public String outcome() {
            return "defer";
        }

        /** e.g. "451 4.4.3 encryption required ... cannot be asked ..." for a RCPT reply. */
        public String smtpReply() {
            return PolicyStatus.DEFERRED.reply(reason);
        }
    }
}
