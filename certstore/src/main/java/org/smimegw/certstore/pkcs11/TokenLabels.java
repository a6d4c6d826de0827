package org.smimegw.certstore.pkcs11;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the slot of a token by its label. The JDK's SunPKCS11 configuration only takes a slot id or a slot list
 * index, and its public API does not show token labels, so this reads the slot list through the JDK's own PKCS#11
 * wrapper ({@code sun.security.pkcs11.wrapper}). That package is not exported: the JVM must run with
 * {@value #ADD_EXPORTS}; without it the caller gets a message saying so (or can configure {@code slot} instead).
 * The wrapper shares the module instance (one {@code C_Initialize} per library) with the SunPKCS11 providers.
 */
final class TokenLabels {

    static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
    private static final long CKF_OS_LOCKING_OK = 0x2L;

    /** A token seen in a slot. */
    record SlotToken(long slot, String label) {
    }

    private TokenLabels() {
    }

    /** The slot holding the token labelled {@code label}. */
    static long slotOf(String library, String label) {
        List<SlotToken> tokens = tokens(library);
        for (SlotToken t : tokens) {
            if (t.label().equals(label)) {
                return t.slot();
            }
        }
        List<String> labels = tokens.stream().map(t -> "\"" + t.label() + "\"").toList();
        throw new TokenException("token not found: no token labelled \"" + label + "\" in PKCS#11 module " + library
                + (labels.isEmpty() ? " (no token present)" : " (tokens present: " + String.join(", ", labels) + ")"));
    }

    /** Every slot with a token present, with the token's label. */
    static List<SlotToken> tokens(String library) {
        try {
            Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
            Class<?> initArgsClass = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
            Object initArgs = initArgsClass.getConstructor().newInstance();
            initArgsClass.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK);
            Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsClass,
                    boolean.class);
            Object p11 = getInstance.invoke(null, library, "C_GetFunctionList", initArgs, false);
            long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
            Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
            Field labelField = Class.forName(WRAPPER + "CK_TOKEN_INFO").getField("label");
            List<SlotToken> result = new ArrayList<>();
            for (long slot : slots) {
                Object info = tokenInfo.invoke(p11, slot);
                char[] label = (char[]) labelField.get(info);
                result.add(new SlotToken(slot, new String(label).strip()));
            }
            return result;
        } catch (IllegalAccessException | java.lang.reflect.InaccessibleObjectException e) {
            throw new TokenException("certstore.pkcs11.tokenLabel needs the JVM option " + ADD_EXPORTS
                    + " (or configure certstore.pkcs11.slot instead)", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new TokenException("cannot list the tokens of PKCS#11 module " + library + ": " + cause, cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new TokenException("certstore.pkcs11.tokenLabel is not supported on this JDK ("
                    + Runtime.version() + "): " + e + "; configure certstore.pkcs11.slot instead", e);
        }
    }
}
