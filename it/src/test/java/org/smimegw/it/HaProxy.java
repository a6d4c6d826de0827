package org.smimegw.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HAProxy (Debian's haproxy) in TCP mode on 127.0.0.1 in front of the gateway nodes, round robin, connecting to them
 * from 127.0.0.1 with a PROXY header (node a version 2 with a CRC32C, node b version 1), health checks every 300 ms,
 * failed connects redispatched to the other node. A stats page (CSV) tells whether a node is UP.
 */
final class HaProxy implements AutoCloseable {
    private final ExternalProcess process;
    private final int port;
    private final int statsPort;

    private HaProxy(ExternalProcess process, int port, int statsPort) {
        this.process = process;
        this.port = port;
        this.statsPort = statsPort;
    }

    static HaProxy start(Path dir, int nodeA, int nodeB) throws Exception {
        Path haproxy = ExternalProcess.require("haproxy", "haproxy");
        int port = ExternalProcess.freePort();
        int stats = ExternalProcess.freePort();
        Path conf = Files.writeString(dir.resolve("haproxy.cfg"), """
                global
                    maxconn 1000
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 3
                    option redispatch
                frontend smtp
                    bind 127.0.0.1:%d
                    default_backend gateways
                backend gateways
                    balance roundrobin
                    server a 127.0.0.1:%d source 127.0.0.1 send-proxy-v2 proxy-v2-options crc32c check inter 300 fall 1 rise 2
                    server b 127.0.0.1:%d source 127.0.0.1 send-proxy check inter 300 fall 1 rise 2
                frontend stats
                    mode http
                    bind 127.0.0.1:%d
                    timeout client 10s
                    stats enable
                    stats uri /stats
                """.formatted(port, nodeA, nodeB, stats));
        ExternalProcess p = new ExternalProcess("haproxy", List.of(haproxy.toString(), "-db", "-f", conf.toString()),
                dir.resolve("haproxy.log"), Map.of()).start();
        p.awaitPort(port, Duration.ofSeconds(30));
        p.awaitPort(stats, Duration.ofSeconds(30));
        return new HaProxy(p, port, stats);
    }

    int port() {
        return port;
    }

    /** HAProxy's view of server {@code name} of the backend: UP, DOWN, ... */
    String status(String name) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String csv = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length > 17 && f[0].equals("gateways") && f[1].equals(name)) {
                return f[17];
            }
        }
        return "unknown";
    }

    /** Waits until HAProxy's health checks see server {@code name} in {@code state}. */
    void awaitStatus(String name, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!status(name).startsWith(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("haproxy: server " + name + " is " + status(name) + ", not " + state
                        + "\n" + process.tail());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
