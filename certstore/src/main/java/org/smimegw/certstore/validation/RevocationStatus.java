package org.smimegw.certstore.validation;

/** What is known about one certificate's revocation, and from where. */
record RevocationStatus(State state, String detail) {
    enum State { GOOD, REVOKED, UNKNOWN }

    static RevocationStatus good(String source) {
        return new RevocationStatus(State.GOOD, source);
    }

    static RevocationStatus revoked(String detail) {
        return new RevocationStatus(State.REVOKED, detail);
    }

    static RevocationStatus unknown(String detail) {
        return new RevocationStatus(State.UNKNOWN, detail);
    }
}
