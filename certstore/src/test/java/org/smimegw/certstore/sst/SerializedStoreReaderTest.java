package org.smimegw.certstore.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The documented layout, byte by byte (docs/sst-format.md). */
class SerializedStoreReaderTest {

    private final SerializedStoreReader reader = new SerializedStoreReader();

    private static byte[] entry(int propId, int length, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(12 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(propId).putInt(1).putInt(length).put(value);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    @Test
    void theExampleFromTheFormatDescription() throws Exception {
        byte[] cert = new byte[0x7c];
        cert[0] = 0x30;
        cert[1] = 0x7a;
        byte[] file = concat(HexFormat.of().parseHex("0000000043455254"), HexFormat.of().parseHex("20000000010000007c000000"),
                cert, new byte[12]);
        SerializedStore s = reader.read(file);
        assertThat(s.certificates()).singleElement().isEqualTo(cert);
    }

    @Test
    void propertiesAreSkippedCtlsCountedCrlsKept() throws Exception {
        byte[] name = "Root\0".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] file = concat(SerializedStoreReader.HEADER, entry(0x0B, name.length, name), entry(0x20, 3, new byte[]{1, 2, 3}),
                entry(0x21, 2, new byte[]{4, 5}), entry(0x22, 1, new byte[]{6}), new byte[12]);
        SerializedStore s = reader.read(file);
        assertThat(s.certificates()).hasSize(1);
        assertThat(s.crls()).singleElement().isEqualTo(new byte[]{4, 5});
        assertThat(s.skippedProperties()).isEqualTo(1);
        assertThat(s.skippedCtls()).isEqualTo(1);
    }

    @Test
    void readerStopsAtEndMarkerZeroLengthOrEndOfFile() throws Exception {
        byte[] one = entry(0x20, 1, new byte[]{9});
        assertThat(reader.read(concat(SerializedStoreReader.HEADER, one)).certificates()).hasSize(1);          // EOF
        assertThat(reader.read(concat(SerializedStoreReader.HEADER, one, new byte[12], one)).certificates())
                .hasSize(1);                                                                                   // end marker
        assertThat(reader.read(concat(SerializedStoreReader.HEADER, one, entry(0x20, 0, new byte[0]), one))
                .certificates()).hasSize(1);                                                                   // zero length
        assertThat(reader.read(new byte[0]).certificates()).isEmpty();
    }

    @Test
    void damagedFilesAreRefusedWithWhere() {
        assertThatThrownBy(() -> reader.read(concat(SerializedStoreReader.HEADER, new byte[5])))
                .hasMessageContaining("truncated at offset 8");
        assertThatThrownBy(() -> reader.read(concat(SerializedStoreReader.HEADER, entry(0x20, 50, new byte[]{1}))))
                .hasMessageContaining("claims 50 bytes");
        assertThatThrownBy(() -> reader.read(concat(SerializedStoreReader.HEADER, entry(0x7FFFFFFF, 1, new byte[]{1}))))
                .hasMessageContaining("invalid PropId");
        assertThatThrownBy(() -> reader.read(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9}))
                .hasMessageContaining("not a serialized certificate store");
    }
}
