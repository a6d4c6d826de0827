package org.smimegw.certstore.sst;

import java.util.List;

/**
 * The DER objects of a Windows serialized certificate store ({@code .sst}): certificates (PropId 0x20) and CRLs
 * (0x21); {@code skippedProperties} counts property entries, {@code skippedCtls} certificate trust lists (0x22).
 */
public record SerializedStore(List<byte[]> certificates, List<byte[]> crls, int skippedProperties, int skippedCtls) {
    public SerializedStore {
        certificates = List.copyOf(certificates);
        crls = List.copyOf(crls);
    }
}
