package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smimegw.mailets.crypto.EncryptionAlgorithm.AES128;
import static org.smimegw.mailets.crypto.EncryptionAlgorithm.AES128GCM;
import static org.smimegw.mailets.crypto.EncryptionAlgorithm.AES192;
import static org.smimegw.mailets.crypto.EncryptionAlgorithm.AES256;
import static org.smimegw.mailets.crypto.EncryptionAlgorithm.AES256GCM;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.SmimeCapabilities;

class AlgorithmNegotiatorTest {

    private static SmimeCapabilities caps(EncryptionAlgorithm... algorithms) {
        return new SmimeCapabilities(Arrays.stream(algorithms).map(a -> a.oid().getId()).toList());
    }

    @Test
    void strongestCommonAlgorithmWins() {
        AlgorithmNegotiator n = AlgorithmNegotiator.defaults();
        assertThat(n.choose(List.of(caps(AES128, AES256GCM, AES256)))).isEqualTo(AES256GCM);
        assertThat(n.choose(List.of(caps(AES256GCM, AES256), caps(AES256, AES128)))).isEqualTo(AES256);
        assertThat(n.choose(List.of(caps(AES128GCM, AES128)))).isEqualTo(AES128GCM);
    }

    @Test
    void unknownOrNothingInCommonGivesTheDefault() {
        AlgorithmNegotiator n = AlgorithmNegotiator.defaults();
        assertThat(n.choose(List.of(SmimeCapabilities.UNKNOWN))).isEqualTo(AES256);
        assertThat(n.choose(List.of(caps(AES128GCM), SmimeCapabilities.UNKNOWN))).isEqualTo(AES256);
        assertThat(n.choose(List.of(caps(AES128GCM), caps(AES192)))).isEqualTo(AES256);
        assertThat(n.choose(List.of(new SmimeCapabilities(List.of("1.2.840.113549.3.7"))))).isEqualTo(AES256); // 3DES only
    }

    @Test
    void allowedListAndFixedModeConstrainTheChoice() {
        AlgorithmNegotiator cbcOnly = new AlgorithmNegotiator(List.of(AES128, AES256), AES256, NegotiationMode.AllowAnyAlgorithmNegotiation);
        assertThat(cbcOnly.choose(List.of(caps(AES256GCM, AES128)))).isEqualTo(AES128);
        AlgorithmNegotiator fixed = new AlgorithmNegotiator(EncryptionAlgorithm.producibleStrongestFirst(), AES128GCM, NegotiationMode.BlockNegotiation);
        assertThat(fixed.choose(List.of(caps(AES256GCM)))).isEqualTo(AES128GCM);
        assertThatThrownBy(() -> new AlgorithmNegotiator(List.of(AES128), AES256, NegotiationMode.AllowAnyAlgorithmNegotiation))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesParse() {
        assertThat(EncryptionAlgorithm.fromName("aes256-gcm")).isEqualTo(AES256GCM);
        assertThat(EncryptionAlgorithm.fromName("AES_128_CBC")).isEqualTo(AES128);
        assertThat(EncryptionAlgorithm.fromName("AES-192-CBC")).isEqualTo(AES192);
        assertThat(EncryptionAlgorithm.fromName("AES256")).isEqualTo(AES256);
        assertThatThrownBy(() -> EncryptionAlgorithm.fromName("DES-EDE3-CBC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not encrypt with legacy");
        assertThatThrownBy(() -> new AlgorithmNegotiator(List.of(EncryptionAlgorithm.TripleDES, AES256), AES256,
                NegotiationMode.AllowAnyAlgorithmNegotiation)).hasMessageContaining("TripleDES");
    }
}
