package org.smimegw.gateway.smtp.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads one PROXY protocol header (HAProxy's {@code proxy-protocol.txt}, version 1 text and version 2 binary) from the
 * start of a connection, strictly, and consuming exactly the header's bytes: whatever the client sent after it stays
 * unread for the SMTP session.
 * <ul>
 *   <li>Version 1: {@code PROXY TCP4|TCP6 <src> <dst> <sport> <dport>CRLF} with single spaces, canonical addresses of
 *       the announced family (no leading zeros in IPv4 or ports, IPv6 in hex groups with at most one {@code ::}), or
 *       {@code PROXY UNKNOWN[...]CRLF}; at most 107 bytes; printable US-ASCII; a lone CR or LF is an error.</li>
 *   <li>Version 2: the 12-byte signature, version 2, command LOCAL or PROXY, a known family and protocol, at most
 *       {@value #V2_MAX_DATA_LENGTH} bytes of addresses and TLVs, the full address block of the family, TLVs that fit,
 *       and a matching CRC32C when a {@code PP2_TYPE_CRC32C} TLV is present. TCP over IPv4/IPv6 names the client;
 *       LOCAL, UNSPEC and UNIX name none (the connection's own endpoints apply, as the specification asks); UDP is
 *       refused, an SMTP connection being TCP.</li>
 * </ul>
 * A header cut short is an error (the specification lets receivers refuse partial headers; the bytes are awaited up to
 * the socket's read timeout, so a header split over several TCP segments is still read). Stateless, thread-safe.
 * Addresses are built from bytes, never looked up.
 */
public final class ProxyHeaderReader {
    /** Longest version 1 line including CRLF ("worst case" of the specification). */
    static final int V1_MAX_LENGTH = 107;
    /** Largest version 2 address block plus TLVs accepted (HAProxy's headers stay far below). */
    static final int V2_MAX_DATA_LENGTH = 4096;
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static final int V2_FIXED_LENGTH = 16;
    private static final int COMMAND_LOCAL = 0;
    private static final int FAMILY_INET = 1;
    private static final int FAMILY_INET6 = 2;
    private static final int FAMILY_UNIX = 3;
    private static final int PROTOCOL_STREAM = 1;
    private static final int PROTOCOL_DGRAM = 2;
    private static final int TLV_CRC32C = 0x03;
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern PORT = Pattern.compile("0|[1-9][0-9]{0,4}");

    /**
     * Reads the header at the start of {@code in}.
     *
     * @throws EOFException                 when the connection ends before the first byte
     * @throws InvalidProxyHeaderException  when the bytes are not a valid header (or end inside one)
     * @throws IOException                  when reading fails, e.g. the socket's read timeout
     */
    public ProxyHeader read(InputStream in) throws IOException, InvalidProxyHeaderException {
        int first = in.read();
        if (first == -1) {
            throw new EOFException("connection closed before a PROXY protocol header");
        }
        if (first == 'P') {
            return readV1(in);
        }
        if (first == V2_SIGNATURE[0]) {
            return readV2(in);
        }
        throw invalid(String.format("no PROXY protocol header (first byte 0x%02x)", first));
    }

    private static ProxyHeader readV1(InputStream in) throws IOException, InvalidProxyHeaderException {
        StringBuilder line = new StringBuilder("P");
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw invalid("version 1 header cut short after " + line.length() + " bytes");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw invalid("version 1 header: CR not followed by LF");
                }
                return parseV1(line.toString());
            }
            if (c == '\n') {
                throw invalid("version 1 header ends with a bare LF");
            }
            if (c < 0x20 || c > 0x7e) {
                throw invalid(String.format("version 1 header: byte 0x%02x is not printable US-ASCII", c));
            }
            line.append((char) c);
            if (line.length() > V1_MAX_LENGTH - 2) {
                throw invalid("version 1 header: no CRLF within " + V1_MAX_LENGTH + " bytes");
            }
        }
    }

    static ProxyHeader parseV1(String line) throws InvalidProxyHeaderException {
        String[] t = line.split(" ", -1);
        if (t.length < 2 || !t[0].equals("PROXY")) {
            throw invalid("version 1 header must start with 'PROXY '");
        }
        boolean v4;
        switch (t[1]) {
            case "UNKNOWN" -> {
                return ProxyHeader.withoutAddresses(1);
            }
            case "TCP4" -> v4 = true;
            case "TCP6" -> v4 = false;
            default -> throw invalid("version 1 header: unknown protocol '" + shortened(t[1]) + "'");
        }
        if (t.length != 6) {
            throw invalid("version 1 " + t[1] + " header needs source, destination, source port and destination "
                    + "port separated by single spaces");
        }
        InetAddress source = v4 ? ipv4(t[2]) : ipv6(t[2]);
        InetAddress destination = v4 ? ipv4(t[3]) : ipv6(t[3]);
        return new ProxyHeader(1, new InetSocketAddress(source, port(t[4])),
                new InetSocketAddress(destination, port(t[5])));
    }

    private static ProxyHeader readV2(InputStream in) throws IOException, InvalidProxyHeaderException {
        byte[] fixed = new byte[V2_FIXED_LENGTH];
        fixed[0] = V2_SIGNATURE[0];
        if (in.readNBytes(fixed, 1, V2_FIXED_LENGTH - 1) < V2_FIXED_LENGTH - 1) {
            throw invalid("version 2 header cut short");
        }
        if (!Arrays.equals(fixed, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
            throw invalid("no PROXY protocol header (bad version 2 signature)");
        }
        int version = (fixed[12] >> 4) & 0x0F;
        int command = fixed[12] & 0x0F;
        if (version != 2) {
            throw invalid("version 2 header with version " + version);
        }
        if (command > 1) {
            throw invalid("version 2 header: unknown command " + command);
        }
        int family = (fixed[13] >> 4) & 0x0F;
        int protocol = fixed[13] & 0x0F;
        if (family > FAMILY_UNIX || protocol > PROTOCOL_DGRAM) {
            throw invalid(String.format("version 2 header: unknown family/protocol 0x%02x", fixed[13] & 0xFF));
        }
        int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
        if (length > V2_MAX_DATA_LENGTH) {
            throw invalid("version 2 header of " + length + " bytes (at most " + V2_MAX_DATA_LENGTH + " accepted)");
        }
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw invalid("version 2 header cut short: " + data.length + " of " + length + " bytes");
        }
        int addressLength = switch (family) {
            case FAMILY_INET -> 12;
            case FAMILY_INET6 -> 36;
            case FAMILY_UNIX -> 216;
            default -> -1; // UNSPEC: what follows cannot be interpreted
        };
        if (addressLength > length) {
            throw invalid("version 2 header: " + length + " address bytes, family " + family + " needs "
                    + addressLength);
        }
        if (addressLength >= 0) {
            checkTlvs(fixed, data, addressLength);
        }
        if (command == COMMAND_LOCAL) {
            return ProxyHeader.withoutAddresses(2);
        }
        if (protocol == PROTOCOL_DGRAM) {
            throw invalid("version 2 header announces a datagram (UDP) connection");
        }
        if (protocol != PROTOCOL_STREAM || (family != FAMILY_INET && family != FAMILY_INET6)) {
            return ProxyHeader.withoutAddresses(2);
        }
        int size = family == FAMILY_INET ? 4 : 16;
        return new ProxyHeader(2, new InetSocketAddress(address(data, 0, size), port(data, 2 * size)),
                new InetSocketAddress(address(data, size, size), port(data, 2 * size + 2)));
    }

    /** TLVs after the address block must fit exactly; a CRC32C TLV must match the whole header. */
    private static void checkTlvs(byte[] fixed, byte[] data, int offset) throws InvalidProxyHeaderException {
        int crcAt = -1;
        int i = offset;
        while (i < data.length) {
            if (i + 3 > data.length) {
                throw invalid("version 2 header: TLV cut short");
            }
            int type = data[i] & 0xFF;
            int length = ((data[i + 1] & 0xFF) << 8) | (data[i + 2] & 0xFF);
            if (i + 3 + length > data.length) {
                throw invalid(String.format("version 2 header: TLV 0x%02x longer than the header", type));
            }
            if (type == TLV_CRC32C) {
                if (length != 4) {
                    throw invalid("version 2 header: CRC32C TLV of " + length + " bytes");
                }
                crcAt = i + 3;
            }
            i += 3 + length;
        }
        if (crcAt >= 0) {
            long announced = ((data[crcAt] & 0xFFL) << 24) | ((data[crcAt + 1] & 0xFFL) << 16)
                    | ((data[crcAt + 2] & 0xFFL) << 8) | (data[crcAt + 3] & 0xFFL);
            byte[] zeroed = data.clone();
            Arrays.fill(zeroed, crcAt, crcAt + 4, (byte) 0);
            CRC32C crc = new CRC32C();
            crc.update(fixed);
            crc.update(zeroed);
            if (crc.getValue() != announced) {
                throw invalid("version 2 header: CRC32C does not match");
            }
        }
    }

    private static InetAddress address(byte[] data, int offset, int size) throws InvalidProxyHeaderException {
        return byAddress(Arrays.copyOfRange(data, offset, offset + size));
    }

    private static int port(byte[] data, int offset) {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    private static InetAddress ipv4(String text) throws InvalidProxyHeaderException {
        if (!IPV4.matcher(text).matches()) {
            throw invalid("version 1 header: '" + shortened(text) + "' is not an IPv4 address");
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw invalid("version 1 header: '" + text + "' is not an IPv4 address");
            }
            bytes[i] = (byte) octet;
        }
        return byAddress(bytes);
    }

    private static InetAddress ipv6(String text) throws InvalidProxyHeaderException {
        int gap = text.indexOf("::");
        if (gap >= 0 && gap != text.lastIndexOf("::")) {
            throw invalid("version 1 header: '" + shortened(text) + "' is not an IPv6 address");
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap), text);
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2), text);
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            throw invalid("version 1 header: '" + shortened(text) + "' is not an IPv6 address");
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            bytes[2 * i] = (byte) (head.get(i) >> 8);
            bytes[2 * i + 1] = head.get(i).byteValue();
        }
        for (int i = 0; i < tail.size(); i++) {
            int at = 16 - 2 * (tail.size() - i);
            bytes[at] = (byte) (tail.get(i) >> 8);
            bytes[at + 1] = tail.get(i).byteValue();
        }
        return byAddress(bytes);
    }

    private static List<Integer> groups(String part, String whole) throws InvalidProxyHeaderException {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        for (String g : part.split(":", -1)) {
            if (!IPV6_GROUP.matcher(g).matches()) {
                throw invalid("version 1 header: '" + shortened(whole) + "' is not an IPv6 address");
            }
            groups.add(Integer.parseInt(g, 16));
        }
        return groups;
    }

    private static int port(String text) throws InvalidProxyHeaderException {
        if (!PORT.matcher(text).matches() || Integer.parseInt(text) > 65535) {
            throw invalid("version 1 header: '" + shortened(text) + "' is not a port");
        }
        return Integer.parseInt(text);
    }

    private static InetAddress byAddress(byte[] bytes) throws InvalidProxyHeaderException {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw invalid("bad address length " + bytes.length); // not reached: 4 and 16 bytes are valid lengths
        }
    }

    private static String shortened(String s) {
        return s.length() <= 45 ? s : s.substring(0, 45) + "...";
    }

    private static InvalidProxyHeaderException invalid(String message) {
        return new InvalidProxyHeaderException(message);
    }
}
