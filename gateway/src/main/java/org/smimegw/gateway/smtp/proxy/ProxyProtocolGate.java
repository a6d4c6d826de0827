package org.smimegw.gateway.smtp.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smimegw.gateway.smtp.NetworkList;
import org.smimegw.gateway.smtp.SmtpConfig;
import org.smimegw.gateway.smtp.SmtpReason;
import org.smimegw.gateway.smtp.SmtpReplies;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.server.Session;

/**
 * The PROXY protocol rule of the SMTP listener, at SubEthaSMTP's extension point for it (the session asks its
 * {@link ProxyHandler} before the greeting and takes the address it returns as the session's remote address, which
 * relay control, the Received header, the envelope and the logs use):
 * <ul>
 *   <li>a connection from one of {@code smtp.proxyProtocol.loadBalancers} must begin with a valid header (version 1 or
 *       2, {@link ProxyHeaderReader}) within {@code headerTimeoutSeconds}; the client it names becomes the session's
 *       client (a header naming none, e.g. a health check's LOCAL, leaves the balancer's own address); a missing,
 *       invalid or late header gets {@code 421 4.7.0} and the connection is closed;</li>
 *   <li>a connection from any other address is an ordinary client: nothing is read before the greeting. A PROXY
 *       header it sends arrives as a command and is refused by {@link ProxyCommandRefusal}.</li>
 * </ul>
 * The header is read from the socket itself, byte-exact, not through the session's buffered stream, so nothing the
 * client sends after it is lost.
 */
public final class ProxyProtocolGate implements ProxyHandler {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolGate.class);

    private final NetworkList loadBalancers;
    private final int timeoutMillis;
    private final SmtpReplies replies;
    private final ProxyHeaderReader reader = new ProxyHeaderReader();

    public ProxyProtocolGate(SmtpConfig.ProxyProtocol config, SmtpReplies replies) {
        this.loadBalancers = NetworkList.parse("smtp.proxyProtocol.loadBalancers", config.loadBalancers());
        this.timeoutMillis = Math.multiplyExact(config.headerTimeoutSeconds(), 1000);
        this.replies = replies;
    }

    @Override
    public ProxyResult handle(InputStream sessionInput, OutputStream out, Session session) {
        InetSocketAddress peer = session.getRealRemoteAddress();
        if (!loadBalancers.contains(peer.getAddress())) {
            return ProxyResult.NOP;
        }
        Socket socket = session.getSocket();
        try {
            int idleTimeout = socket.getSoTimeout();
            socket.setSoTimeout(timeoutMillis);
            try {
                ProxyHeader header = reader.read(socket.getInputStream());
                if (header.client().isEmpty()) {
                    log.debug("PROXY v{} from {} names no client: the balancer's address applies", header.version(),
                            peer);
                    return ProxyResult.NOP;
                }
                log.debug("PROXY v{} from {}: client {}", header.version(), peer, header.source());
                return new ProxyResult(header.source());
            } finally {
                if (!socket.isClosed()) {
                    socket.setSoTimeout(idleTimeout);
                }
            }
        } catch (InvalidProxyHeaderException e) {
            log.warn("refused connection from load balancer {}: {}", peer.getAddress().getHostAddress(),
                    e.getMessage());
            return refused("Invalid PROXY protocol header, closing connection");
        } catch (SocketTimeoutException e) {
            log.info("refused connection from load balancer {}: no PROXY protocol header within {} ms",
                    peer.getAddress().getHostAddress(), timeoutMillis);
            return refused("No PROXY protocol header in time, closing connection");
        } catch (EOFException e) {
            log.debug("load balancer {} closed its connection before sending a PROXY protocol header", peer);
            return refused(SmtpReason.PROXY_HEADER_INVALID.text());
        } catch (IOException e) {
            log.info("reading the PROXY protocol header from {} failed: {}", peer.getAddress().getHostAddress(),
                    e.toString());
            return refused(SmtpReason.PROXY_HEADER_INVALID.text());
        }
    }

    /** {@code 421 4.7.0 <text>}, counted as {@code smtp.rejected.proxy_header_invalid}; the session then closes. */
    private ProxyResult refused(String text) {
        RejectException reply = replies.reject(SmtpReason.PROXY_HEADER_INVALID, text);
        return new ProxyResult(reply.getCode(), reply.getMessage());
    }
}
