package org.smimegw.certstore;

/** Somewhere harvested certificates are kept: the embedded store, or a directory subtree shared by gateways. */
public interface HarvestSink {
    void store(HarvestedCertificate certificate) throws DirectoryUnavailableException;
}
