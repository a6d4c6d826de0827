package org.smimegw.mailets.policy;

/** {@code OWABCCEncryptedEmailForking}: how encrypted mail with Bcc recipients is split (Exchange's 0, 1, 2). */
public enum BccForking {
    /** 0: one encrypted message per Bcc recipient (Exchange's default): no recipient sees another's key. */
    ONE_MESSAGE_PER_BCC_RECIPIENT(0),
    /** 1: one encrypted message for all Bcc recipients, separate from the To/Cc one. */
    ONE_MESSAGE_FOR_ALL_BCC_RECIPIENTS(1),
    /** 2: one encrypted message for everyone, without Bcc forking (Bcc recipients' RecipientInfos are visible). */
    NO_FORKING(2);

    private final int exchangeValue;

    BccForking(int exchangeValue) {
        this.exchangeValue = exchangeValue;
    }

    public int exchangeValue() {
        return exchangeValue;
    }

    public static java.util.Optional<BccForking> byExchangeValue(int value) {
        for (BccForking f : values()) {
            if (f.exchangeValue == value) {
                return java.util.Optional.of(f);
            }
        }
        return java.util.Optional.empty();
    }
}
