package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.SmimeCapabilities;

import java.util.List;

/** The name <-> OID map against Bouncy Castle's registry constants, strength order, and the negotiator's edge cases. */
class AlgorithmMappingTest {

    @Test
    void encryptionOidsAreTheCmsOnes() {
        assertThat(EncryptionAlgorithm.AES128.oid()).isEqualTo(NISTObjectIdentifiers.id_aes128_CBC);
        assertThat(EncryptionAlgorithm.AES192.oid()).isEqualTo(NISTObjectIdentifiers.id_aes192_CBC);
        assertThat(EncryptionAlgorithm.AES256.oid()).isEqualTo(NISTObjectIdentifiers.id_aes256_CBC);
        assertThat(EncryptionAlgorithm.AES128GCM.oid()).isEqualTo(NISTObjectIdentifiers.id_aes128_GCM);
        assertThat(EncryptionAlgorithm.AES256GCM.oid()).isEqualTo(NISTObjectIdentifiers.id_aes256_GCM);
        assertThat(EncryptionAlgorithm.TripleDES.oid()).isEqualTo(PKCSObjectIdentifiers.des_EDE3_CBC);
        assertThat(EncryptionAlgorithm.DES.oid()).isEqualTo(OIWObjectIdentifiers.desCBC);
        assertThat(EncryptionAlgorithm.RC240bit.oid()).isEqualTo(PKCSObjectIdentifiers.RC2_CBC);
        assertThat(EncryptionAlgorithm.byOid("2.16.840.1.101.3.4.1.42")).containsExactly(EncryptionAlgorithm.AES256);
        assertThat(EncryptionAlgorithm.byOid(PKCSObjectIdentifiers.RC2_CBC.getId())).containsExactly(
                EncryptionAlgorithm.RC240bit, EncryptionAlgorithm.RC264bit, EncryptionAlgorithm.RC2128bit);
        assertThat(EncryptionAlgorithm.byOid("1.2.3.4")).isEmpty();
    }

    @Test
    void digestOidsAreTheCmsOnes() {
        assertThat(DigestAlgorithm.SHA256.oid()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        assertThat(DigestAlgorithm.SHA384.oid()).isEqualTo(NISTObjectIdentifiers.id_sha384);
        assertThat(DigestAlgorithm.SHA512.oid()).isEqualTo(NISTObjectIdentifiers.id_sha512);
        assertThat(DigestAlgorithm.SHA1.oid()).isEqualTo(OIWObjectIdentifiers.idSHA1);
        assertThat(DigestAlgorithm.MD5.oid()).isEqualTo(PKCSObjectIdentifiers.md5);
        assertThat(DigestAlgorithm.SHA384.signatureAlgorithm("RSA")).isEqualTo("SHA384withRSA");
        assertThat(DigestAlgorithm.SHA256.signatureAlgorithm("EC")).isEqualTo("SHA256withECDSA");
    }

    @Test
    void strongSetIsAes128AndUpAndSha256AndUp() {
        assertThat(EncryptionAlgorithm.values()).filteredOn(EncryptionAlgorithm::isStrong).containsExactly(
                EncryptionAlgorithm.AES128, EncryptionAlgorithm.AES128GCM, EncryptionAlgorithm.AES192,
                EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES256GCM);
        assertThat(DigestAlgorithm.values()).filteredOn(DigestAlgorithm::isStrong).containsExactly(
                DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512);
        assertThat(EncryptionAlgorithm.stronger(EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES128GCM))
                .isEqualTo(EncryptionAlgorithm.AES256);
        assertThat(NegotiationMode.stricter(NegotiationMode.BlockNegotiation, NegotiationMode.AllowAnyAlgorithmNegotiation))
                .isEqualTo(NegotiationMode.BlockNegotiation);
    }

    @Test
    void negotiatorIgnoresCapabilitiesThatAreNotContentEncryption() {
        // a capability list with only signature algorithms says nothing about ciphers: use the default
        SmimeCapabilities signingOnly = new SmimeCapabilities(List.of(
                PKCSObjectIdentifiers.sha256WithRSAEncryption.getId(), NISTObjectIdentifiers.id_sha256.getId()));
        NegotiationResult r = new EncryptionNegotiator().choose(List.of(EncryptionAlgorithm.AES256),
                EncryptionAlgorithm.AES256, NegotiationMode.BlockNegotiation, false, signingOnly);
        assertThat(r).isInstanceOf(NegotiationResult.Chosen.class);
        assertThat(((NegotiationResult.Chosen) r).algorithm()).isEqualTo(EncryptionAlgorithm.AES256);
    }

    @Test
    void negotiatorRefusesAWeakDefaultWhenWeakIsNotAllowed() {
        NegotiationResult r = new EncryptionNegotiator().choose(List.of(EncryptionAlgorithm.TripleDES),
                EncryptionAlgorithm.TripleDES, NegotiationMode.AllowAnyAlgorithmNegotiation, false,
                SmimeCapabilities.UNKNOWN);
        assertThat(r).isInstanceOf(NegotiationResult.Refused.class);
    }
}
