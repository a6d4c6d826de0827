package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.smimegw.mailets.crypto.ContentEncryption.AES_128_CBC;
import static org.smimegw.mailets.crypto.ContentEncryption.AES_128_GCM;
import static org.smimegw.mailets.crypto.ContentEncryption.AES_192_CBC;
import static org.smimegw.mailets.crypto.ContentEncryption.AES_256_CBC;
import static org.smimegw.mailets.crypto.ContentEncryption.AES_256_GCM;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.SmimeCapabilities;

class AlgorithmNegotiatorTest {

    private static SmimeCapabilities caps(ContentEncryption... algorithms) {
        return new SmimeCapabilities(Arrays.stream(algorithms).map(ContentEncryption::oidString).toList());
    }

    @Test
    void strongestCommonAlgorithmWins() {
        AlgorithmNegotiator n = AlgorithmNegotiator.defaults();
        assertThat(n.choose(List.of(caps(AES_128_CBC, AES_256_GCM, AES_256_CBC)))).isEqualTo(AES_256_GCM);
        assertThat(n.choose(List.of(caps(AES_256_GCM, AES_256_CBC), caps(AES_256_CBC, AES_128_CBC)))).isEqualTo(AES_256_CBC);
        assertThat(n.choose(List.of(caps(AES_128_GCM, AES_128_CBC)))).isEqualTo(AES_128_GCM);
    }

    @Test
    void unknownOrNothingInCommonGivesTheDefault() {
        AlgorithmNegotiator n = AlgorithmNegotiator.defaults();
        assertThat(n.choose(List.of(SmimeCapabilities.UNKNOWN))).isEqualTo(AES_256_CBC);
        assertThat(n.choose(List.of(caps(AES_128_GCM), SmimeCapabilities.UNKNOWN))).isEqualTo(AES_256_CBC);
        assertThat(n.choose(List.of(caps(AES_128_GCM), caps(AES_192_CBC)))).isEqualTo(AES_256_CBC);
        assertThat(n.choose(List.of(new SmimeCapabilities(List.of("1.2.840.113549.3.7"))))).isEqualTo(AES_256_CBC); // 3DES only
    }

    @Test
    void allowedListAndFixedModeConstrainTheChoice() {
        AlgorithmNegotiator cbcOnly = new AlgorithmNegotiator(List.of(AES_128_CBC, AES_256_CBC), AES_256_CBC, NegotiationMode.NEGOTIATE);
        assertThat(cbcOnly.choose(List.of(caps(AES_256_GCM, AES_128_CBC)))).isEqualTo(AES_128_CBC);
        AlgorithmNegotiator fixed = new AlgorithmNegotiator(List.of(ContentEncryption.values()), AES_128_GCM, NegotiationMode.FIXED);
        assertThat(fixed.choose(List.of(caps(AES_256_GCM)))).isEqualTo(AES_128_GCM);
        assertThatThrownBy(() -> new AlgorithmNegotiator(List.of(AES_128_CBC), AES_256_CBC, NegotiationMode.NEGOTIATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesParse() {
        assertThat(ContentEncryption.fromName("aes256-gcm")).isEqualTo(AES_256_GCM);
        assertThat(ContentEncryption.fromName("AES_128_CBC")).isEqualTo(AES_128_CBC);
        assertThatThrownBy(() -> ContentEncryption.fromName("DES-EDE3-CBC")).isInstanceOf(IllegalArgumentException.class);
    }
}
