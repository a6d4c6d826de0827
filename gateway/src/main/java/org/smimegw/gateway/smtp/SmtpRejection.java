package org.smimegw.gateway.smtp;

/**
 * A recipient refused by a {@link RecipientPolicyCheck}: permanent (550) or temporary (451), with the check's RFC 3463
 * enhanced status code (it must match the class, 5.x.x / 4.x.x) and a one-line text for the client.
 */
public record SmtpRejection(boolean permanent, String enhancedStatus, String text) {
    public SmtpRejection {
        if (enhancedStatus == null || !enhancedStatus.matches((permanent ? "5" : "4") + "\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
            throw new IllegalArgumentException("enhanced status must be " + (permanent ? "5" : "4")
                    + ".x.y, is " + enhancedStatus);
        }
        if (text == null || text.isBlank() || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("rejection text must be one non-empty line");
        }
    }

    /** The reply code: 550 (permanent) or 451 (temporary). */
    public int code() {
        return permanent ? 550 : 451;
    }
}
