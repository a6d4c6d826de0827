package org.smimegw.mailets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.mailets.crypto.CertificateInclusion;
import org.smimegw.mailets.crypto.ContentEncryption;
import org.smimegw.mailets.crypto.EncryptorSettings;
import org.smimegw.mailets.crypto.RecipientIdentifierType;
import org.smimegw.mailets.crypto.SignMode;
import org.smimegw.mailets.crypto.SignerSettings;

class PolicyCryptoMappingTest {

    @Test
    void everyStrongPolicyCipherIsACryptoCipherWithTheSameOidAndNoLegacyOneIs() {
        for (EncryptionAlgorithm a : EncryptionAlgorithm.values()) {
            if (a.isStrong()) {
                ContentEncryption c = PolicyCryptoMapping.contentEncryption(a).orElseThrow();
                assertThat(c.oid()).isEqualTo(a.oid());
                assertThat(c.authenticated()).isEqualTo(a.authenticated());
                assertThat(PolicyCryptoMapping.policyAlgorithm(c)).isEqualTo(a);
            } else {
                assertThat(PolicyCryptoMapping.contentEncryption(a)).isEmpty();
            }
        }
        for (ContentEncryption c : ContentEncryption.values()) {
            assertThat(PolicyCryptoMapping.policyAlgorithm(c).oid()).isEqualTo(c.oid());
        }
        assertThat(PolicyCryptoMapping.digest(DigestAlgorithm.SHA384))
                .contains(org.smimegw.mailets.crypto.DigestAlgorithm.SHA_384);
        assertThat(PolicyCryptoMapping.digest(DigestAlgorithm.SHA1)).isEmpty();
    }

    @Test
    void planFromTheShippedExampleBecomesSignerEncryptorAndNegotiatorSettings() throws Exception {
        PolicySet policy = new PolicyLoader().load(PolicyFixtures.shippedPolicy());
        OutboundDecision d = new PolicyDecisions().decideOutbound(
                policy.resolveOutbound("finance@example.com", "bob@partner.example"),
                new SigningKeyFact.Usable(new CertificateSummary("CN=finance", "1", "AA"), KeyStorage.SOFTWARE),
                new RecipientCertificateFact.Valid(new CertificateSummary("CN=bob", "2", "BB"),
                        PolicyFixtures.caps(EncryptionAlgorithm.AES128, EncryptionAlgorithm.AES256),
                        RevocationStatus.GOOD));
        OutboundDecision.Send send = (OutboundDecision.Send) d;

        SignerSettings signer = PolicyCryptoMapping.signerSettings(send.signing().orElseThrow(), SignerSettings.defaults());
        assertThat(signer.digest()).isEqualTo(org.smimegw.mailets.crypto.DigestAlgorithm.SHA_384);
        assertThat(signer.mode()).isEqualTo(SignMode.CLEAR);
        assertThat(signer.certificates()).isEqualTo(CertificateInclusion.CHAIN_WITHOUT_ROOT);
        assertThat(signer.capabilities()).containsExactly(ContentEncryption.AES_256_CBC, ContentEncryption.AES_256_GCM,
                ContentEncryption.AES_192_CBC, ContentEncryption.AES_128_CBC, ContentEncryption.AES_128_GCM);
        assertThat(signer.rsaScheme()).isEqualTo(SignerSettings.defaults().rsaScheme());

        EncryptionPlan plan = send.encryption().orElseThrow();
        assertThat(PolicyCryptoMapping.negotiator(plan).choose(List.of(SmimeCapabilities.UNKNOWN,
                PolicyFixtures.caps(EncryptionAlgorithm.AES256GCM)))).isEqualTo(ContentEncryption.AES_256_CBC);
        assertThat(PolicyCryptoMapping.encryptorSettings(plan, EncryptorSettings.defaults()).recipientIdentifier())
                .isEqualTo(RecipientIdentifierType.ISSUER_AND_SERIAL);
    }

    @Test
    void legacyChoicesAreNotSilentlyReplaced() {
        EncryptionPlan tripleDes = new EncryptionPlan(EncryptionAlgorithm.TripleDES,
                new CertificateSummary("CN=old", "3", "CC"), true, BccForking.ONE_MESSAGE_PER_BCC_RECIPIENT, "weak allowed");
        assertThatThrownBy(() -> PolicyCryptoMapping.negotiator(tripleDes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TripleDES");
        assertThat(PolicyCryptoMapping.encryptorSettings(tripleDes, EncryptorSettings.defaults()).recipientIdentifier())
                .isEqualTo(RecipientIdentifierType.SUBJECT_KEY_IDENTIFIER);
        SigningPlan sha1 = new SigningPlan(DigestAlgorithm.SHA1, new CertificateSummary("CN=old", "3", "CC"),
                KeyStorage.SOFTWARE, true, ChainInclusion.CERTIFICATE_ONLY, List.of(), "weak allowed");
        assertThatThrownBy(() -> PolicyCryptoMapping.signerSettings(sha1, SignerSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SHA1");
    }
}
