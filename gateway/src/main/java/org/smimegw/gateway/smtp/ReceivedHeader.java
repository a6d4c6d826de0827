package org.smimegw.gateway.smtp;

import java.net.InetAddress;
import java.util.List;

/**
 * The trace header the gateway prepends (RFC 5321 §4.4), e.g.
 * <pre>
 * Received: from client.example ([192.0.2.7])
 *         by gw.example.com (smime-gateway) with ESMTPS id 0193...
 *         (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *         for &lt;bob@example.com&gt;; Sat, 28 Nov 2026 09:23:17 +0000
 * </pre>
 * "for" only names a single recipient; the HELO name is reduced to printable ASCII; the date comes from
 * {@link HeaderDate}.
 */
final class ReceivedHeader {
    private ReceivedHeader() {
    }

    static String format(String helo, InetAddress client, String byHost, String protocol, String queueId,
                         String tlsDetails, List<String> recipients, String date) {
        StringBuilder b = new StringBuilder(256);
        b.append("Received: from ").append(sanitize(helo.isEmpty() ? "unknown" : helo))
                .append(" ([").append(addressLiteral(client)).append("])\r\n")
                .append("\tby ").append(sanitize(byHost)).append(" (smime-gateway) with ").append(protocol)
                .append(" id ").append(queueId).append("\r\n");
        if (tlsDetails != null) {
            b.append("\t(").append(sanitize(tlsDetails)).append(")\r\n");
        }
        b.append('\t');
        if (recipients.size() == 1) {
            b.append("for <").append(sanitize(recipients.get(0))).append(">");
        }
        b.append("; ").append(date).append("\r\n");
        return b.toString();
    }

    private static String addressLiteral(InetAddress a) {
        String s = a.getHostAddress();
        return a instanceof java.net.Inet6Address ? "IPv6:" + s : s;
    }

    private static String sanitize(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && b.length() < 255; i++) {
            char c = s.charAt(i);
            b.append(c > ' ' && c < 127 && c != '(' && c != ')' && c != ';' ? c : c == ' ' ? ' ' : '?');
        }
        return b.toString();
    }
}
