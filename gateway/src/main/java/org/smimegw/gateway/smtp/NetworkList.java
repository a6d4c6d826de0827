package org.smimegw.gateway.smtp;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** A list of CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}, or a single address) with a membership test. */
public final class NetworkList {
    private record Block(byte[] network, int prefix) {
    }

    private final List<Block> blocks;

    private NetworkList(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses CIDRs; IP literals only (no host names, no DNS). Throws IllegalArgumentException naming the entry. */
    public static NetworkList parse(List<String> cidrs) {
        return parse("smtp.mynetworks", cidrs);
    }

    /** As {@link #parse(List)}; errors name the configuration key {@code key}. */
    public static NetworkList parse(String key, List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            blocks.add(parseOne(key, cidr));
        }
        return new NetworkList(List.copyOf(blocks));
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        for (Block b : blocks) {
            if (b.network().length == a.length && prefixMatches(b.network(), a, b.prefix())) {
                return true;
            }
        }
        return false;
    }

    private static Block parseOne(String key, String cidr) {
        String s = cidr == null ? "" : cidr.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        if (addr.isEmpty() || !(addr.contains(":") || addr.matches("[0-9.]+"))) {
            throw new IllegalArgumentException(key + ": '" + cidr + "' is not an IP address or CIDR block");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress(); // literal only: no lookup for these forms
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(key + ": '" + cidr + "' is not an IP address", e);
        }
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + cidr + "' has a bad prefix length", e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(key + ": '" + cidr + "' prefix must be 0.." + max);
        }
        return new Block(bytes, prefix);
    }

    private static boolean prefixMatches(byte[] net, byte[] addr, int prefix) {
        if (prefix == 0) {
            return true;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(net.length * 8).subtract(BigInteger.ONE)
                .shiftRight(prefix).not();
        return new BigInteger(1, net).and(mask).equals(new BigInteger(1, addr).and(mask));
    }
}
