package org.smimegw.bench.sut;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of a process and all its descendants from {@code /proc/<pid>/stat}: utime + stime + cutime + cstime of
 * every process in the tree (cutime/cstime cover children that already exited and were waited for, e.g. Postfix's
 * short-lived smtpd/cleanup/smtp processes). Linux only; on other systems every reading is 0.
 */
public final class ProcessTreeCpu {

    /** Clock ticks per second (USER_HZ), 100 on every mainstream Linux. */
    public static final double TICKS_PER_SECOND = 100.0;

    private ProcessTreeCpu() {
    }

    /** Total CPU seconds of {@code pid} and its descendants, 0 when /proc is unavailable. */
    public static double cpuSeconds(long pid) {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                long[] stat = readStat(dir.resolve("stat"));
                if (stat != null) {
                    long p = Long.parseLong(dir.getFileName().toString());
                    children.computeIfAbsent(stat[0], k -> new ArrayList<>()).add(p);
                    ticks.put(p, stat[1]);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.removeLast();
            total += ticks.getOrDefault(p, 0L);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return total / TICKS_PER_SECOND;
    }

    /** CPU seconds of this JVM (the bench's generator and sink). */
    public static double selfCpuSeconds() {
        long[] stat = readStat(Path.of("/proc/self/stat"));
        return stat == null ? 0 : stat[1] / TICKS_PER_SECOND;
    }

    /** {ppid, utime+stime+cutime+cstime} or null. */
    private static long[] readStat(Path file) {
        try {
            String s = Files.readString(file);
            // the command name may contain spaces and parentheses: fields start after the last ')'
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] = state (field 3), f[1] = ppid (4), utime = field 14 -> f[11], stime f[12], cutime f[13], cstime f[14]
            long ppid = Long.parseLong(f[1]);
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new long[] {ppid, t};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
