package org.smimegw.certstore.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Pkcs11ConfigTest {

    @Test
    void defaultsFillTheGaps() {
        Pkcs11Config c = new Pkcs11Config(null, " /usr/lib/softhsm/libsofthsm2.so ", null, null, " ", "env:PIN", null);

        assertThat(c.name()).isEqualTo("token");
        assertThat(c.library()).isEqualTo("/usr/lib/softhsm/libsofthsm2.so");
        assertThat(c.slotListIndex()).isZero();
        assertThat(c.slot()).isNull();
        assertThat(c.tokenLabel()).isNull();
        assertThat(c.reloadIntervalSeconds()).isEqualTo(300);
        assertThat(c.tokenDescription()).isEqualTo("token at slot list index 0");
    }

    @Test
    void theTokenIsChosenOneWayOnly() {
        assertThatThrownBy(() -> new Pkcs11Config(null, "/lib.so", 1L, null, "gw", "env:PIN", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certstore.pkcs11: set only one of slot, slotListIndex and tokenLabel");
        assertThatThrownBy(() -> new Pkcs11Config(null, "/lib.so", null, 0, "gw", "env:PIN", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Pkcs11Config.byLabel("/lib.so", "gw", "env:PIN").tokenDescription())
                .isEqualTo("token labelled \"gw\"");
        assertThat(Pkcs11Config.bySlot("/lib.so", 7, "env:PIN").tokenDescription()).isEqualTo("token in slot 7");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new Pkcs11Config(null, "/lib.so", -1L, null, null, "env:PIN", null))
                .hasMessage("certstore.pkcs11.slot must not be negative, was -1");
        assertThatThrownBy(() -> new Pkcs11Config("a b", "/lib.so", null, null, null, "env:PIN", null))
                .hasMessageStartingWith("certstore.pkcs11.name may only contain");
        assertThatThrownBy(() -> new Pkcs11Config(null, "/lib.so", null, null, null, "env:PIN", -5))
                .hasMessage("certstore.pkcs11.reloadIntervalSeconds must not be negative, was -5");
    }

    @Test
    void missingLibraryOrPinIsRefusedBeforeTouchingAnyModule() {
        assertThatThrownBy(() -> new Pkcs11KeySource(new Pkcs11Config(null, null, null, null, null, "env:PIN", 0)))
                .hasMessage("certstore.pkcs11.library is not set");
        assertThatThrownBy(() -> new Pkcs11KeySource(new Pkcs11Config(null, "/lib.so", null, null, null, null, 0)))
                .hasMessage("certstore.pkcs11.pin is not set (env:NAME or file:PATH)");
    }
}
