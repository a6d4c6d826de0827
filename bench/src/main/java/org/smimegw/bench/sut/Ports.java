package org.smimegw.bench.sut;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Free loopback ports and waiting for a server's greeting. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until 127.0.0.1:port greets with an SMTP 220; false on timeout or when {@code alive} turns false. */
    public static boolean awaitSmtpGreeting(int port, Duration timeout, java.util.function.BooleanSupplier alive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] b = new byte[3];
                if (in.readNBytes(b, 0, 3) == 3 && b[0] == '2' && b[1] == '2' && b[2] == '0') {
                    s.getOutputStream().write("QUIT\r\n".getBytes());
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
