package org.smimegw.certstore.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestPkiTest {

    @Test
    void issuesUserCertificatesThatChainToTheRoot() throws Exception {
        TestPki pki = TestPki.create("Fixture");
        TestPki.Issued alice = pki.issue("alice@example.com");

        alice.certificate().verify(pki.intermediate().certificate().getPublicKey());
        pki.intermediate().certificate().verify(pki.rootCertificate().getPublicKey());
        assertThat(alice.certificate().getSubjectAlternativeNames()).anySatisfy(
                san -> assertThat(san.get(1)).isEqualTo("alice@example.com"));
        assertThat(alice.chain()).containsExactly(pki.intermediate().certificate(), pki.rootCertificate());
    }
}
