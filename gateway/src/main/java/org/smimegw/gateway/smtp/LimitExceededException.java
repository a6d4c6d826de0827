package org.smimegw.gateway.smtp;

import java.io.IOException;

/** DATA went over a limit while streaming; the reason says which reply to give. */
final class LimitExceededException extends IOException {
    private final SmtpReason reason;

    LimitExceededException(SmtpReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    SmtpReason reason() {
        return reason;
    }
}
