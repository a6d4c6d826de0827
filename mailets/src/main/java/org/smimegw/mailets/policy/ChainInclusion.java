package org.smimegw.mailets.policy;

/** Which certificates a signature carries, from OWAIncludeCertificateChain{Without,And}RootCertificate. */
public enum ChainInclusion {
    CERTIFICATE_ONLY, CHAIN_WITHOUT_ROOT, CHAIN_AND_ROOT
}
