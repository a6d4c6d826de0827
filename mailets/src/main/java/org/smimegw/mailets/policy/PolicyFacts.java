package org.smimegw.mailets.policy;

/**
 * The facts {@link PolicyExplainer} (and the enforcement mailets) need about parties, answered now. The gateway backs
 * it with its local-domain configuration and the certificate store ({@link CertificateStorePolicyFacts}); tests back
 * it with fixed answers.
 */
public interface PolicyFacts {

    /** True for addresses in the gateway's own (internal) domains. */
    boolean isInternal(String address);

    /** The sender's signing key as the gateway would use it now. */
    SigningKeyFact signingKey(String address);

    /** The recipient's encryption certificate as the gateway would use it now (validated for encryption). */
    RecipientCertificateFact recipientCertificate(String address);
}
