package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1OctetString;
import org.junit.jupiter.api.Test;

class CbcContentEncryptorTest {

    @Test
    void encryptsWithAFreshKeyAndTheIvItNamesInTheAlgorithmIdentifier() throws Exception {
        byte[] content = "Subject: x\r\n\r\nsecret body\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
        for (EncryptionAlgorithm algorithm : new EncryptionAlgorithm[] {EncryptionAlgorithm.AES128,
                EncryptionAlgorithm.AES192, EncryptionAlgorithm.AES256}) {
            CbcContentEncryptor encryptor = CbcContentEncryptor.create(algorithm, Optional.empty(), new SecureRandom());
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out = encryptor.getOutputStream(sink)) {
                out.write(content, 0, 7);
                out.write(content, 7, content.length - 7);
            }
            assertThat(encryptor.getAlgorithmIdentifier().getAlgorithm()).isEqualTo(algorithm.oid());
            byte[] iv = ASN1OctetString.getInstance(encryptor.getAlgorithmIdentifier().getParameters()).getOctets();
            assertThat(iv).hasSize(16);
            byte[] key = (byte[]) encryptor.getKey().getRepresentation(); // JceGenericKey keeps the encoded key
            assertThat(key).as(algorithm.displayName()).hasSize(algorithm.keyBits() / 8);

            Cipher decrypt = Cipher.getInstance("AES/CBC/PKCS5Padding");
            decrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            assertThat(decrypt.doFinal(sink.toByteArray())).isEqualTo(content);
        }
    }

    @Test
    void twoEncryptorsNeverShareAKeyOrAnIv() throws Exception {
        SecureRandom random = new SecureRandom();
        CbcContentEncryptor a = CbcContentEncryptor.create(EncryptionAlgorithm.AES256, Optional.empty(), random);
        CbcContentEncryptor b = CbcContentEncryptor.create(EncryptionAlgorithm.AES256, Optional.empty(), random);
        assertThat(a.getAlgorithmIdentifier()).isNotEqualTo(b.getAlgorithmIdentifier());
        assertThat((byte[]) a.getKey().getRepresentation()).isNotEqualTo((byte[]) b.getKey().getRepresentation());
    }

    @Test
    void refusesGcm() {
        assertThatThrownBy(() -> CbcContentEncryptor.create(EncryptionAlgorithm.AES256GCM, Optional.empty(),
                new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
    }
}
