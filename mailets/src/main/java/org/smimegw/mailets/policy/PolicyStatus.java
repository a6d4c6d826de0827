package org.smimegw.mailets.policy;

/**
 * The two SMTP answers policy gives, the one place their codes are written: the RCPT reply, the DSN's Status and
 * {@code policy explain} all take them from here. Enhanced status codes per RFC 3463 and the IANA registry.
 */
public enum PolicyStatus {
    /**
     * X.7.1 "Delivery not authorized, message refused" (security or policy status; useful only as a permanent
     * error): a required signature or encryption cannot be done, or inbound mail does not meet the policy.
     */
    REFUSED(550, "5.7.1"),
    /**
     * X.4.3 "Directory server failure" (IANA: "Routing server failure"; useful only as a persistent transient
     * error): the certificate directory or a CRL could not be asked. Not X.7.1, which is permanent only.
     */
    DEFERRED(451, "4.4.3");

    private final int code;
    private final String enhancedStatus;

    PolicyStatus(int code, String enhancedStatus) {
        this.code = code;
        this.enhancedStatus = enhancedStatus;
    }

    /** The SMTP reply code: 550 or 451. */
    public int code() {
        return code;
    }

    /** The RFC 3463 enhanced status code: 5.7.1 or 4.4.3. */
    public String enhancedStatus() {
        return enhancedStatus;
    }

    public boolean permanent() {
        return code >= 500;
    }

    /** e.g. {@code "451 4.4.3 <reason>"}. */
    public String reply(String reason) {
        return code + " " + enhancedStatus + " " + reason;
    }
}
