package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.mailets.crypto.DigestAlgorithm;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;
import org.smimegw.mailets.crypto.NegotiationMode;

import java.util.List;

/**
 * The one vocabulary of algorithms shared by policy and crypto: the name &lt;-&gt; OID map against Bouncy Castle's
 * registry constants, the names admins see (policy file, explain, mailet parameters), what the gateway produces,
 * strength order, and the negotiator's edge cases.
 */
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
        assertThat(DigestAlgorithm.byOid(NISTObjectIdentifiers.id_sha384.getId())).contains(DigestAlgorithm.SHA384);
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

    @Test
    void policyNamesAreExchangesAndMailetNamesAreTheCryptoOnes() {
        assertThat(EncryptionAlgorithm.AES256.toString()).isEqualTo("AES256");
        assertThat(EncryptionAlgorithm.AES256.displayName()).isEqualTo("AES-256-CBC");
        assertThat(EncryptionAlgorithm.AES128GCM.displayName()).isEqualTo("AES-128-GCM");
        assertThat(EncryptionAlgorithm.byPolicyName("TripleDES")).contains(EncryptionAlgorithm.TripleDES);
        assertThat(EncryptionAlgorithm.byPolicyName("aes256")).isEmpty();
        assertThat(DigestAlgorithm.SHA384.toString()).isEqualTo("SHA384");
        assertThat(DigestAlgorithm.SHA384.displayName()).isEqualTo("SHA-384");
        assertThat(DigestAlgorithm.fromName("sha-512")).isEqualTo(DigestAlgorithm.SHA512);
        assertThat(CertificateInclusion.CHAIN_AND_ROOT.description()).isEqualTo("chain and root");
        assertThat(CertificateInclusion.fromName("chain-with-root")).isEqualTo(CertificateInclusion.CHAIN_AND_ROOT);
        assertThat(CertificateInclusion.fromName("signer")).isEqualTo(CertificateInclusion.CERTIFICATE_ONLY);
        assertThat(NegotiationMode.fromName("fixed")).isEqualTo(NegotiationMode.BlockNegotiation);
        assertThat(NegotiationMode.fromName("negotiate")).isEqualTo(NegotiationMode.AllowAnyAlgorithmNegotiation);
        assertThat(NegotiationMode.fromName("onlystrongalgorithmnegotiation"))
                .isEqualTo(NegotiationMode.OnlyStrongAlgorithmNegotiation);
    }

    @Test
    void theGatewayProducesOnlyStrongAlgorithmsAndSaysSoForLegacyNames() {
        assertThat(EncryptionAlgorithm.producibleStrongestFirst()).containsExactly(EncryptionAlgorithm.AES256GCM,
                EncryptionAlgorithm.AES256, EncryptionAlgorithm.AES192, EncryptionAlgorithm.AES128GCM,
                EncryptionAlgorithm.AES128);
        assertThatThrownBy(() -> EncryptionAlgorithm.fromName("DES-EDE3-CBC"))
                .hasMessageContaining("does not encrypt with legacy");
        assertThatThrownBy(() -> DigestAlgorithm.fromName("SHA-1")).hasMessageContaining("does not sign with legacy");
        assertThatThrownBy(() -> DigestAlgorithm.fromName("SHA-3")).hasMessageContaining("unknown digest");
        assertThat(EncryptionAlgorithm.byOid(PKCSObjectIdentifiers.RC2_CBC.getId(), 64))
                .contains(EncryptionAlgorithm.RC264bit);
        assertThat(EncryptionAlgorithm.byOid(EncryptionAlgorithm.AES256.oid().getId(), 0))
                .contains(EncryptionAlgorithm.AES256);
    }
}
