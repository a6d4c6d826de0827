package org.smimegw.gateway.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * A DNS server on loopback (UDP, ephemeral port) answering from one zone given as master-file text, like a
 * recursive resolver would (no AA flag; SOA in the authority section of negative answers, so they are cached for the
 * SOA minimum). Names can be made to answer SERVFAIL or not at all, and queries are counted per name and type.
 */
public final class TestDnsServer implements AutoCloseable {
    private final Zone zone;
    private final DatagramSocket socket;
    private final Thread thread;
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();

    /** @param zoneText a master file with $ORIGIN, an SOA and an NS record */
    public TestDnsServer(String origin, String zoneText) throws IOException {
        this.zone = new Zone(Name.fromString(origin), new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.US_ASCII)));
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = Thread.ofPlatform().daemon(true).name("test-dns").start(this::serve);
    }

    /**
     * A server for the zone {@code test.}: SOA (negative answers cached for 60 s), {@code ns.test.} and these records
     * (master-file lines relative to {@code test.}, default TTL one hour).
     */
    public static TestDnsServer forTestZone(String records) throws IOException {
        return new TestDnsServer("test.", """
                $ORIGIN test.
                $TTL 3600
                @   IN SOA ns.test. hostmaster.test. 1 3600 600 86400 60
                @   IN NS  ns.test.
                ns  IN A   127.0.0.1
                """ + records);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Answers every query for {@code name} with SERVFAIL. */
    public TestDnsServer servfail(String name) throws IOException {
        servfail.add(Name.fromString(name));
        return this;
    }

    /** Never answers a query for {@code name} (the client times out). */
    public TestDnsServer silent(String name) throws IOException {
        silent.add(Name.fromString(name));
        return this;
    }

    /** How many queries for {@code name} (absolute, e.g. {@code mx.test.}) of {@code type} arrived. */
    public int queries(String name, int type) {
        AtomicInteger n = queries.get(key(name, type));
        return n == null ? 0 : n.get();
    }

    private static String key(String name, int type) {
        return name.toLowerCase(java.util.Locale.ROOT) + "/" + Type.string(type);
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                queries.computeIfAbsent(key(question.getName().toString(), question.getType()),
                        k -> new AtomicInteger()).incrementAndGet();
                if (silent.contains(question.getName())) {
                    continue;
                }
                byte[] answer = answer(query, question).toWire();
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a malformed query: ignore it, as a server would
            }
        }
    }

    private Message answer(Message query, Record question) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        if (servfail.contains(name)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        if (!name.subdomain(zone.getOrigin())) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response;
        }
        SetResponse found = zone.findRecords(name, question.getType());
        if (found.isSuccessful()) {
            for (RRset set : found.answers()) {
                set.rrs().forEach(r -> response.addRecord(r, Section.ANSWER));
            }
        } else {
            if (found.isNXDOMAIN()) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            response.addRecord(zone.getSOA(), Section.AUTHORITY); // NXDOMAIN or no data of that type
        }
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5_000);
    }
}
