package org.smimegw.mailets.policy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.smimegw.certstore.KeyStorage;
import org.smimegw.certstore.SmimeCapabilities;
import org.smimegw.certstore.testing.TestPki;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.crypto.EncryptionAlgorithm;

/** Helpers shared by the policy tests. */
final class PolicyFixtures {

    private PolicyFixtures() {
    }

    static PolicySet parse(String yaml) throws ConfigFileException {
        return new PolicyLoader().parse("policy.yaml", new StringReader(yaml));
    }

    /** The shipped conf/policy.yaml (tests run in the mailets module directory). */
    static Path shippedPolicy() {
        return Path.of("..", "conf", "policy.yaml");
    }

    static SmimeCapabilities caps(EncryptionAlgorithm... algorithms) {
        return new SmimeCapabilities(java.util.Arrays.stream(algorithms).map(a -> a.oid().getId()).toList());
    }

    /** Facts answered from maps, with real certificates from the test PKI. */
    static final class FixedFacts implements PolicyFacts {
        private final Predicate<String> internal;
        private final Map<String, SigningKeyFact> keys = new HashMap<>();
        private final Map<String, RecipientCertificateFact> certs = new HashMap<>();
        private final TestPki pki = TestPki.create("Policy Test CA");

        FixedFacts(Set<String> internalDomains) {
            this.internal = CertificateStorePolicyFacts.domains(internalDomains);
        }

        FixedFacts key(String address, KeyStorage storage) {
            keys.put(address, new SigningKeyFact.Usable(CertificateSummary.of(pki.issue(address).certificate()),
                    storage));
            return this;
        }

        FixedFacts certificate(String address, SmimeCapabilities capabilities) {
            certs.put(address, new RecipientCertificateFact.Valid(
                    CertificateSummary.of(pki.issue(address).certificate()), capabilities, RevocationStatus.GOOD));
            return this;
        }

        FixedFacts directoryDown(String address) {
            certs.put(address, new RecipientCertificateFact.DirectoryUnavailable("ldap://dc1.example.com: connect timed out"));
            return this;
        }

        @Override
        public boolean isInternal(String address) {
            return internal.test(address);
        }

        @Override
        public SigningKeyFact signingKey(String address) {
            return keys.getOrDefault(address, new SigningKeyFact.Missing("the gateway holds no signing key for " + address));
        }

        @Override
        public RecipientCertificateFact recipientCertificate(String address) {
            return certs.getOrDefault(address, new RecipientCertificateFact.None("no certificate published for " + address));
        }
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }
}
