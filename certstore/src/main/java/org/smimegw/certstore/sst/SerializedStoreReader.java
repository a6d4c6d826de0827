package org.smimegw.certstore.sst;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the Windows serialized certificate store ({@code Export-Certificate -Type SST}): an 8-byte header
 * ({@code 00000000} + {@code "CERT"}), then entries of {@code PropId u32, EncodingType u32, Length u32, value}
 * (little-endian), ended by PropId 0, a zero length, or end of file. An empty input is an empty store.
 * See {@code docs/sst-format.md}.
 */
public final class SerializedStoreReader {

    /** The 8 header bytes: version 0 and the magic "CERT". */
    public static final byte[] HEADER = {0, 0, 0, 0, 'C', 'E', 'R', 'T'};

    static final int CERTIFICATE = 0x20;
    static final int CRL = 0x21;
    static final int CTL = 0x22;
    private static final int MAX_PROP_ID = 0xFFFF;

    /** Whether {@code data} starts like a serialized store. */
    public static boolean looksLikeSerializedStore(byte[] data) {
        return data.length >= HEADER.length && Arrays.equals(data, 0, HEADER.length, HEADER, 0, HEADER.length);
    }

    public SerializedStore read(byte[] data) throws IOException {
        if (data.length == 0) {
            return new SerializedStore(List.of(), List.of(), 0, 0);
        }
        if (!looksLikeSerializedStore(data)) {
            throw new IOException("not a serialized certificate store: the header is not 00000000 'CERT'");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        in.position(HEADER.length);
        List<byte[]> certs = new ArrayList<>();
        List<byte[]> crls = new ArrayList<>();
        int properties = 0;
        int ctls = 0;
        while (in.remaining() > 0) {
            if (in.remaining() < 12) {
                throw new IOException("serialized store truncated at offset " + in.position()
                        + ": " + in.remaining() + " bytes left, an entry header needs 12");
            }
            int offset = in.position();
            long propId = Integer.toUnsignedLong(in.getInt());
            in.getInt(); // encoding type, always 1 (X509_ASN_ENCODING)
            long length = Integer.toUnsignedLong(in.getInt());
            if (propId == 0 || length == 0) {
                break;
            }
            if (propId > MAX_PROP_ID) {
                throw new IOException("serialized store entry at offset " + offset + " has an invalid PropId 0x"
                        + Long.toHexString(propId));
            }
            if (length > in.remaining()) {
                throw new IOException("serialized store entry at offset " + offset + " (PropId 0x"
                        + Long.toHexString(propId) + ") claims " + length + " bytes but only " + in.remaining()
                        + " remain");
            }
            byte[] value = new byte[(int) length];
            in.get(value);
            switch ((int) propId) {
                case CERTIFICATE -> certs.add(value);
                case CRL -> crls.add(value);
                case CTL -> ctls++;
                default -> properties++;
            }
        }
        return new SerializedStore(certs, crls, properties, ctls);
    }
}
