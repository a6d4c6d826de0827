package org.smimegw.certstore.pkcs11;

import java.nio.file.Path;

/**
 * A private SoftHSM2 token created for the tests of this JVM.
 *
 * @param library path of libsofthsm2.so
 * @param slot    slot id SoftHSM2 gave the token
 * @param label   token label
 * @param pinFile file holding the user PIN (for {@code file:} references)
 * @param pin     the user PIN
 */
public record SoftHsmToken(String library, long slot, String label, Path pinFile, String pin) {

    /** Configuration choosing this token by slot, PIN from {@link #pinFile}, no periodic reload. */
    public Pkcs11Config config() {
        return new Pkcs11Config("test", library, slot, null, null, "file:" + pinFile, 0);
    }
}
