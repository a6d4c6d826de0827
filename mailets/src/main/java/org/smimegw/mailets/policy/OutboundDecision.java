package org.smimegw.mailets.policy;

import java.util.List;
import java.util.Optional;

/**
 * What policy says to do with a mail from an internal sender to one recipient: send (signed and/or encrypted, or as
 * it is), refuse (permanent, 5.7.1: at RCPT time when known there, else a DSN), or defer (temporary, 4.4.3: a
 * directory or CRL could not be asked; never downgraded to clear text).
 * {@link #setting()} and {@link #outcome()} are the labels for the decision's log line and metric.
 */
public sealed interface OutboundDecision {

    /** "send", "refuse" or "defer". */
    String outcome();

    /** The setting that decided (e.g. RequireEncryptedSMIMEMessages), or "none". */
    String setting();

    /** One sentence for the log, the SMTP reply or the DSN. */
    String reason();

    record Send(Optional<SigningPlan> signing, Optional<EncryptionPlan> encryption, boolean tripleWrap,
                String setting, String reason, List<String> notes) implements OutboundDecision {
        public Send {
            notes = List.copyOf(notes);
        }

        @Override
        public String outcome() {
            return "send";
        }
    }

    record Refuse(String setting, String reason) implements OutboundDecision {
        public static final String ENHANCED_STATUS = "5.7.1";

        @Override
        public String outcome() {
            return "refuse";
        }

        /** e.g. "550 5.7.1 encryption required ..." for a RCPT reply. */
        public String smtpReply() {
            return "550 " + ENHANCED_STATUS + " " + reason;
        }
    }

    record Defer(String setting, String reason) implements OutboundDecision {
        /** RFC 3463 X.4.3: directory server failure. */
        public static final String ENHANCED_STATUS = "4.4.3";

        @Override
        public String outcome() {
            return "defer";
        }

        public String smtpReply() {
            return "451 " + ENHANCED_STATUS + " " + reason;
        }
    }
}
