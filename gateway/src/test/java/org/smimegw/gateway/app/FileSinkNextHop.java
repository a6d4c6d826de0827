package org.smimegw.gateway.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A next hop that keeps what it receives as files, streamed to disk and never parsed (large or deeply structured
 * messages cost it nothing): SubEthaSMTP on loopback, an ephemeral port.
 */
final class FileSinkNextHop implements AutoCloseable {
    private final Path directory;
    private final SMTPServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Path> received = new CopyOnWriteArrayList<>();

    FileSinkNextHop(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.server = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress()).hostName("sink.test")
                .messageHandlerFactory(this::handler).build();
        server.start();
    }

    int port() {
        return server.getPortAllocated();
    }

    /** The messages received so far, in order of arrival, as files. */
    List<Path> received() {
        return received;
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public String data(InputStream data) throws IOException {
                Path file = directory.resolve(count.incrementAndGet() + ".eml");
                try (OutputStream out = Files.newOutputStream(file)) {
                    data.transferTo(out);
                }
                received.add(file);
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }
}
