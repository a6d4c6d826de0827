package org.smimegw.certstore.pkcs11;

/**
 * The {@code certstore.pkcs11:} section of the gateway configuration: one PKCS#11 token holding users' private keys.
 * Every component may be left out (null); the compact constructor fills in the default. The PIN is never a value
 * here, only a reference ({@code env:NAME} or {@code file:PATH}).
 *
 * @param name                  short name for the token, used in the provider name and in messages
 *                              (default {@value #DEFAULT_NAME}; letters, digits, {@code -_.})
 * @param library               path of the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}. Required.
 * @param slot                  PKCS#11 slot id of the token
 * @param slotListIndex         index of the token's slot in the module's slot list
 * @param tokenLabel            label of the token; the slot is looked up at start and on each reload
 *                              (at most one of slot, slotListIndex, tokenLabel; slotListIndex 0 when none is set)
 * @param pin                   reference to the user PIN, {@code env:NAME} or {@code file:PATH}. Required.
 * @param reloadIntervalSeconds how often the token's key list is re-read (default 300; 0 = only on {@code reload})
 */
public record Pkcs11Config(String name, String library, Long slot, Integer slotListIndex, String tokenLabel,
                           String pin, Integer reloadIntervalSeconds) {

    public static final String DEFAULT_NAME = "token";
    public static final int DEFAULT_RELOAD_INTERVAL_SECONDS = 300;

    public Pkcs11Config {
        name = blankToNull(name) == null ? DEFAULT_NAME : name.trim();
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("certstore.pkcs11.name may only contain letters, digits, '-', '_' and '.', was '"
                    + name + "'");
        }
        library = blankToNull(library);
        tokenLabel = blankToNull(tokenLabel);
        pin = blankToNull(pin);
        int chosen = (slot != null ? 1 : 0) + (slotListIndex != null ? 1 : 0) + (tokenLabel != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException(
                    "certstore.pkcs11: set only one of slot, slotListIndex and tokenLabel");
        }
        if (slot != null && slot < 0) {
            throw new IllegalArgumentException("certstore.pkcs11.slot must not be negative, was " + slot);
        }
        if (slotListIndex != null && slotListIndex < 0) {
            throw new IllegalArgumentException("certstore.pkcs11.slotListIndex must not be negative, was " + slotListIndex);
        }
        if (chosen == 0) {
            slotListIndex = 0;
        }
        if (reloadIntervalSeconds == null) {
            reloadIntervalSeconds = DEFAULT_RELOAD_INTERVAL_SECONDS;
        } else if (reloadIntervalSeconds < 0) {
            throw new IllegalArgumentException(
                    "certstore.pkcs11.reloadIntervalSeconds must not be negative, was " + reloadIntervalSeconds);
        }
    }

    /** A token chosen by label, with the default name and reload interval. */
    public static Pkcs11Config byLabel(String library, String tokenLabel, String pinReference) {
        return new Pkcs11Config(null, library, null, null, tokenLabel, pinReference, null);
    }

    /** A token chosen by slot id, with the default name and reload interval. */
    public static Pkcs11Config bySlot(String library, long slot, String pinReference) {
        return new Pkcs11Config(null, library, slot, null, null, pinReference, null);
    }

    public Pkcs11Config withPin(String pinReference) {
        return new Pkcs11Config(name, library, slot, slotListIndex, tokenLabel, pinReference, reloadIntervalSeconds);
    }

    public Pkcs11Config withReloadIntervalSeconds(int seconds) {
        return new Pkcs11Config(name, library, slot, slotListIndex, tokenLabel, pin, seconds);
    }

    /** How the token is chosen, for messages: {@code token labelled "gw"}, {@code slot 3}, {@code slot list index 0}. */
    public String tokenDescription() {
        if (tokenLabel != null) {
            return "token labelled \"" + tokenLabel + "\"";
        }
        if (slot != null) {
            return "token in slot " + slot;
        }
        return "token at slot list index " + slotListIndex;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
