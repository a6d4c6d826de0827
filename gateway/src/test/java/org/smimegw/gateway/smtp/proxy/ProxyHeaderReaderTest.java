package org.smimegw.gateway.smtp.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyHeaderReaderTest {
    private final ProxyHeaderReader reader = new ProxyHeaderReader();

    private static final byte[] IPV4_BLOCK = {(byte) 192, 0, 2, 7, (byte) 198, 51, 100, 1, (byte) 0xdc, 0x04, 0, 25};

    // ---- version 1 ----

    @Test
    void v1Tcp4NamesClientAndServerAndLeavesWhatFollowsUnread() throws Exception {
        InputStream in = stream("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\nEHLO client\r\n");
        ProxyHeader h = reader.read(in);
        assertThat(h.version()).isEqualTo(1);
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 56324));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 25));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EHLO client\r\n");
    }

    @Test
    void v1Tcp6AcceptsTheCompressedAndTheFullForm() throws Exception {
        ProxyHeader h = reader.read(stream("PROXY TCP6 2001:db8::7 2001:DB8:0:0:0:0:0:1 65535 0\r\n"));
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 65535));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 0));
        assertThat(reader.read(stream("PROXY TCP6 :: ::1 1 2\r\n")).source().getAddress())
                .isEqualTo(InetAddress.getByName("::"));
        assertThat(reader.read(stream("PROXY TCP6 1:2:3:4:5:6:7:: ::1 1 2\r\n")).source().getAddress())
                .isEqualTo(InetAddress.getByName("1:2:3:4:5:6:7:0"));
    }

    @Test
    void v1UnknownNamesNoClientWhateverFollowsIt() throws Exception {
        assertThat(reader.read(stream("PROXY UNKNOWN\r\n")).client()).isEmpty();
        assertThat(reader.read(stream("PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n")).client()).isEmpty();
    }

    @Test
    void v1LineOf107BytesIsTheLongestAccepted() throws Exception {
        String longest = "PROXY UNKNOWN " + "f".repeat(107 - 2 - 14) + "\r\n";
        assertThat(longest).hasSize(107);
        assertThat(reader.read(stream(longest)).client()).isEmpty();
        String tooLong = "PROXY UNKNOWN " + "f".repeat(107 - 2 - 13) + "\r\n";
        assertThatThrownBy(() -> reader.read(stream(tooLong))).isInstanceOf(InvalidProxyHeaderException.class)
                .hasMessageContaining("no CRLF within 107 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PROXY TCP4 192.0.2.07 198.51.100.1 1 2\r\n",        // leading zero
            "PROXY TCP4 256.0.2.7 198.51.100.1 1 2\r\n",         // octet out of range
            "PROXY TCP4 192.0.2 198.51.100.1 1 2\r\n",           // three octets
            "PROXY TCP4 192.0.2.7  198.51.100.1 1 2\r\n",        // two spaces
            "PROXY TCP4 192.0.2.7 198.51.100.1 1 2 \r\n",        // trailing space
            "PROXY TCP4 2001:db8::1 198.51.100.1 1 2\r\n",       // family mismatch
            "PROXY TCP6 192.0.2.7 2001:db8::1 1 2\r\n",          // family mismatch
            "PROXY TCP4 192.0.2.7 198.51.100.1 056 25\r\n",      // port with leading zero
            "PROXY TCP4 192.0.2.7 198.51.100.1 65536 25\r\n",    // port out of range
            "PROXY TCP4 192.0.2.7 198.51.100.1 -1 25\r\n",       // negative port
            "PROXY TCP4 192.0.2.7 198.51.100.1 1\r\n",           // a port missing
            "PROXY TCP4 192.0.2.7 198.51.100.1 1 2 3\r\n",       // one field too many
            "PROXY UDP4 192.0.2.7 198.51.100.1 1 2\r\n",         // unknown protocol
            "PROXY tcp4 192.0.2.7 198.51.100.1 1 2\r\n",         // case matters
            "PROXY\r\n",                                         // nothing after PROXY
            "PROXYTCP4 192.0.2.7 198.51.100.1 1 2\r\n",          // no space
            "PROXY TCP6 1::2::3 ::1 1 2\r\n",                    // two gaps
            "PROXY TCP6 ::: ::1 1 2\r\n",                        // three colons
            "PROXY TCP6 12345::1 ::1 1 2\r\n",                   // group of five digits
            "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n",              // seven groups
            "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n",          // nine groups
            "PROXY TCP6 ::1:2:3:4:5:6:7:8 ::1 1 2\r\n",          // gap and eight groups
            "PROXY TCP6 ::ffff:192.0.2.7 ::1 1 2\r\n",           // embedded IPv4 is not the canonical format
            "PROXY TCP4 192.0.2.7 198.51.100.1 1 2\n",           // bare LF
            "PROXY TCP4 192.0.2.7 198.51.100.1 1 2\rX\n",        // CR without LF
            "PROXY TCP4 192.0.2.7 198.51.100.1 1 2",             // cut short
            "PROXY TCP4 192.0.2.7\u0000198.51.100.1 1 2\r\n",    // not printable
            "POST / HTTP/1.1\r\n",                               // another protocol starting with P
            "EHLO client.example\r\n",                           // a client that speaks SMTP at once
    })
    void v1ViolationsAreRefused(String bytes) {
        assertThatThrownBy(() -> reader.read(stream(bytes))).isInstanceOf(InvalidProxyHeaderException.class);
    }

    @Test
    void nothingAtAllIsEndOfStreamNotAnInvalidHeader() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[0]))).isInstanceOf(EOFException.class);
    }

    // ---- version 2 ----

    @Test
    void v2TcpOverIpv4NamesTheClientAndLeavesWhatFollowsUnread() throws Exception {
        byte[] header = v2(0x21, 0x11, IPV4_BLOCK);
        InputStream in = new ByteArrayInputStream(concat(header, "EHLO x\r\n".getBytes(StandardCharsets.US_ASCII)));
        ProxyHeader h = reader.read(in);
        assertThat(h.version()).isEqualTo(2);
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 56324));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 25));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EHLO x\r\n");
    }

    @Test
    void v2TcpOverIpv6NamesTheClientWithItsPort() throws Exception {
        ByteBuffer block = ByteBuffer.allocate(36);
        block.put(InetAddress.getByName("2001:db8::7").getAddress()).put(InetAddress.getByName("2001:db8::1").getAddress())
                .putShort((short) 40000).putShort((short) 587);
        ProxyHeader h = reader.read(new ByteArrayInputStream(v2(0x21, 0x21, block.array())));
        assertThat(h.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40000));
        assertThat(h.destination()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 587));
    }

    @Test
    void v2LocalAndUnspecifiedAndUnixNameNoClient() throws Exception {
        assertThat(reader.read(new ByteArrayInputStream(v2(0x20, 0x00, new byte[0]))).client()).isEmpty();
        // LOCAL with an address block: the addresses are ignored
        assertThat(reader.read(new ByteArrayInputStream(v2(0x20, 0x11, IPV4_BLOCK))).client()).isEmpty();
        // PROXY with an unspecified family: what follows cannot be interpreted and is skipped
        assertThat(reader.read(new ByteArrayInputStream(v2(0x21, 0x00, new byte[] {1, 2, 3}))).client()).isEmpty();
        assertThat(reader.read(new ByteArrayInputStream(v2(0x21, 0x31, new byte[216]))).client()).isEmpty();
    }

    @Test
    void v2TlvsAreSkippedAndAMatchingCrc32cAccepted() throws Exception {
        byte[] tlvs = concat(IPV4_BLOCK, new byte[] {0x04, 0, 2, 0, 0, 0x05, 0, 3, 'a', 'b', 'c'});
        assertThat(reader.read(new ByteArrayInputStream(v2(0x21, 0x11, tlvs))).source().getPort()).isEqualTo(56324);
        byte[] withCrc = withCrc32c(concat(IPV4_BLOCK, new byte[] {0x03, 0, 4, 0, 0, 0, 0}), false);
        assertThat(reader.read(new ByteArrayInputStream(withCrc)).source().getPort()).isEqualTo(56324);
    }

    @Test
    void v2WithAWrongCrc32cIsRefused() {
        byte[] wrong = withCrc32c(concat(IPV4_BLOCK, new byte[] {0x03, 0, 4, 0, 0, 0, 0}), true);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(wrong)))
                .isInstanceOf(InvalidProxyHeaderException.class).hasMessageContaining("CRC32C");
    }

    @Test
    void aHeaderArrivingByteByByteIsStillRead() throws Exception {
        byte[] v2 = v2(0x21, 0x11, IPV4_BLOCK);
        assertThat(reader.read(oneByteAtATime(v2)).source().getPort()).isEqualTo(56324);
        byte[] v1 = "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(reader.read(oneByteAtATime(v1)).source().getPort()).isEqualTo(56324);
    }

    @Test
    void v2ViolationsAreRefused() {
        byte[] badSignature = v2(0x21, 0x11, IPV4_BLOCK);
        badSignature[7] = 'q';
        assertInvalid(badSignature, "signature");
        assertInvalid(v2(0x11, 0x11, IPV4_BLOCK), "version 1");
        assertInvalid(v2(0x22, 0x11, IPV4_BLOCK), "command 2");
        assertInvalid(v2(0x21, 0x41, IPV4_BLOCK), "family");
        assertInvalid(v2(0x21, 0x13, IPV4_BLOCK), "family");
        assertInvalid(v2(0x21, 0x12, IPV4_BLOCK), "datagram");
        assertInvalid(v2(0x21, 0x11, new byte[8]), "needs 12");
        assertInvalid(v2(0x21, 0x21, new byte[12]), "needs 36");
        assertInvalid(v2(0x21, 0x11, concat(IPV4_BLOCK, new byte[] {0x05, 0, 9, 'a'})), "longer than the header");
        assertInvalid(v2(0x21, 0x11, concat(IPV4_BLOCK, new byte[] {0x05, 0})), "TLV cut short");
        assertInvalid(v2(0x21, 0x11, concat(IPV4_BLOCK, new byte[] {0x03, 0, 3, 0, 0, 0})), "CRC32C TLV of 3");
        assertInvalid(v2(0x21, 0x11, new byte[4097]), "at most 4096");
        byte[] cut = v2(0x21, 0x11, IPV4_BLOCK);
        assertInvalid(java.util.Arrays.copyOf(cut, cut.length - 1), "cut short");
        assertInvalid(java.util.Arrays.copyOf(cut, 10), "cut short");
    }

    // ---- helpers ----

    private void assertInvalid(byte[] bytes, String reason) {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(InvalidProxyHeaderException.class).hasMessageContaining(reason);
    }

    /** A version 2 header: signature, version/command, family/protocol, length, {@code data}. */
    static byte[] v2(int versionCommand, int familyProtocol, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ProxyHeaderReader.V2_SIGNATURE);
        b.write(versionCommand);
        b.write(familyProtocol);
        b.write(data.length >> 8);
        b.write(data.length & 0xFF);
        b.writeBytes(data);
        return b.toByteArray();
    }

    /** A TCP4 header whose last 4 bytes are a CRC32C TLV value, filled in (or filled in wrong). */
    private static byte[] withCrc32c(byte[] data, boolean wrong) {
        byte[] header = v2(0x21, 0x11, data);
        CRC32C crc = new CRC32C();
        crc.update(header);
        long value = crc.getValue() ^ (wrong ? 1 : 0);
        int at = header.length - 4;
        header[at] = (byte) (value >> 24);
        header[at + 1] = (byte) (value >> 16);
        header[at + 2] = (byte) (value >> 8);
        header[at + 3] = (byte) value;
        return header;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Like a socket that delivers each byte in its own segment. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new java.io.FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
