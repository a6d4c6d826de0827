package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * The signer verifiers of {@link PrimitiveProviders} under every provider set: a good signature verifies, a signature
 * by another key does not (the chosen provider says no, and so does Bouncy Castle's second opinion, made only then),
 * the first time a key is seen and after. And {@link ParsedCertificates} converts each distinct certificate once.
 */
class SignerVerifierTest {

    private static final Date NOT_BEFORE = new Date(1_700_000_000_000L);
    private static final Date NOT_AFTER = new Date(1_900_000_000_000L);

    @Test
    void aGoodSignatureVerifiesAndAnotherKeysDoesNotUnderEverySet() throws Exception {
        KeyPair signer = rsa();
        KeyPair other = rsa();
        X509Certificate signerCert = certificate(signer, "CN=signer");
        X509Certificate otherCert = certificate(other, "CN=other");
        SignerInformation info = sign(signer, signerCert);
        for (CryptoProviders choice : CryptoProviders.values()) {
            PrimitiveProviders providers = PrimitiveProviders.select(choice);
            for (int round = 0; round < 2; round++) { // the first use of a key and a remembered one
                assertThat(info.verify(providers.signerVerifier(signerCert.getPublicKey())))
                        .as(choice + " round " + round).isTrue();
                assertThat(info.verify(providers.signerVerifier(otherCert.getPublicKey())))
                        .as(choice + " round " + round).isFalse();
            }
        }
    }

    @Test
    void equalCertificatesConvertOnceAndTheCacheIsBounded() throws Exception {
        X509Certificate a = certificate(rsa(), "CN=a");
        X509Certificate b = certificate(rsa(), "CN=b");
        ParsedCertificates parsed = new ParsedCertificates(1);
        X509Certificate first = parsed.certificate(new X509CertificateHolder(a.getEncoded()));
        X509Certificate again = parsed.certificate(new X509CertificateHolder(a.getEncoded()));
        assertThat(first).isEqualTo(a).isSameAs(again);
        assertThat(parsed.certificate(new X509CertificateHolder(b.getEncoded()))).isEqualTo(b);
        assertThat(parsed.size()).isEqualTo(1);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(KeyPair keys, String subject) throws Exception {
        X500Name name = new X500Name(subject);
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, NOT_BEFORE, NOT_AFTER,
                name, keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
    }

    private static SignerInformation sign(KeyPair keys, X509Certificate certificate) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()), certificate));
        CMSSignedData signed = generator.generate(
                new CMSProcessableByteArray("signed content".getBytes(StandardCharsets.US_ASCII)), true);
        // parsed again, as a received signature is
        CMSSignedData received = new CMSSignedData(signed.getEncoded());
        return received.getSignerInfos().getSigners().iterator().next();
    }
}
