package org.smimegw.bench.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Machine-wide CPU use from {@code /proc/stat} and the load average, to say how busy the shared machine was. */
public final class MachineCpu {

    /** Busy and total ticks over all CPUs at one moment. */
    public record Sample(long busy, long total) {
        /** Busy share of all CPUs between {@code earlier} and this sample, 0..100 %. */
        public double busyPercentSince(Sample earlier) {
            long t = total - earlier.total;
            return t <= 0 ? 0 : 100.0 * (busy - earlier.busy) / t;
        }
    }

    private MachineCpu() {
    }

    public static Sample sample() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = first.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new Sample(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new Sample(0, 0);
        }
    }

    /** The 1-minute load average, -1 when unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }
}
