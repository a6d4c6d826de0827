package org.smimegw.bench.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap use of a JVM started with {@code -Xlog:gc:file=FILE}: the largest "before" figure of the
 * {@code 123M->45M(256M)} pauses in the log (heap occupancy when a collection was needed), and the committed size.
 * Cheaper than polling jcmd or JMX; a JVM that never collected reports nothing.
 */
public final class GcLogHeap {

    private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    /** Peak occupancy and largest committed heap in bytes; {@code collections} = pauses seen. */
    public record Peak(long usedBytes, long committedBytes, int collections) {
        public double usedMb() {
            return usedBytes / (1024.0 * 1024.0);
        }
    }

    private GcLogHeap() {
    }

    /** The JVM option that writes the log this class reads. */
    public static String jvmOption(Path logFile) {
        return "-Xlog:gc:file=" + logFile.toAbsolutePath() + ":uptime";
    }

    public static Peak read(Path logFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile);
        } catch (IOException e) {
            return new Peak(0, 0, 0);
        }
        long used = 0;
        long committed = 0;
        int n = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                n++;
                used = Math.max(used, bytes(m.group(1), m.group(2)));
                used = Math.max(used, bytes(m.group(3), m.group(4)));
                committed = Math.max(committed, bytes(m.group(5), m.group(6)));
            }
        }
        return new Peak(used, committed, n);
    }

    private static long bytes(String number, String unit) {
        long v = Long.parseLong(number);
        return switch (unit) {
            case "K" -> v * 1024;
            case "M" -> v * 1024 * 1024;
            default -> v * 1024 * 1024 * 1024;
        };
    }
}
