package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directory fsync with group commit. Callers of one directory take a ticket in arrival order; one of them (the
 * leader) fsyncs for every ticket taken before its fsync started, the others wait, parked, and return when an
 * fsync that covers their ticket has completed. No lock is held during the fsync itself: callers that arrive
 * meanwhile queue for the next fsync, which one of them runs as soon as the current one is done. A caller returns
 * only after an fsync that began after its call (so after its rename) has completed, which is exactly the guarantee
 * of a private fsync. When an fsync fails, its leader gets the exception and the callers it would have covered
 * try again with an fsync of their own.
 */
final class DirectorySync {
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    /** The group commit of one directory; all fields guarded by {@code lock}. */
    private static final class Group {
        final ReentrantLock lock = new ReentrantLock();
        /** Waiters by generation parity: those of the fsync running now, and those queued for the next one. */
        final Condition[] generations = {lock.newCondition(), lock.newCondition()};
        long requested;   // tickets handed out
        long covered;     // the highest ticket the running (or last) fsync covers
        long completed;   // the highest ticket covered by a completed fsync
        long generation;  // fsyncs started
        boolean running;
    }

    /** What syncs one directory (the real fsync, or a test's instrumented one). */
    @FunctionalInterface
    interface Fsync {
        void fsync(Path dir) throws IOException;
    }

    private final ConcurrentMap<Path, Group> groups = new ConcurrentHashMap<>();
    private final Fsync fsync;

    DirectorySync() {
        this(DirectorySync::fsync);
    }

    DirectorySync(Fsync fsync) {
        this.fsync = fsync;
    }

    void sync(Path dir) throws IOException {
        Group g = groups.get(dir);
        if (g == null) {
            g = groups.computeIfAbsent(dir, d -> new Group());
        }
        long covered;
        g.lock.lock();
        try {
            long ticket = ++g.requested;
            while (true) {
                if (g.completed >= ticket) {
                    return; // an fsync that started after our request has finished
                }
                if (!g.running) {
                    break; // lead the next fsync
                }
                // covered by the running fsync: wait for it; else queue for the next one
                long waitFor = ticket <= g.covered ? g.generation : g.generation + 1;
                g.generations[(int) (waitFor & 1)].awaitUninterruptibly();
            }
            g.running = true;
            g.generation++;
            covered = g.requested;
            g.covered = covered;
        } finally {
            g.lock.unlock();
        }
        boolean synced = false;
        try {
            fsync.fsync(dir);
            synced = true;
        } finally {
            g.lock.lock();
            try {
                g.running = false;
                if (synced) {
                    g.completed = covered;
                }
                g.generations[(int) (g.generation & 1)].signalAll(); // those covered: done (or retry on failure)
                g.generations[(int) ((g.generation + 1) & 1)].signal(); // one of the queue leads the next fsync
            } finally {
                g.lock.unlock();
            }
        }
    }

    /** Callers of {@code dir} waiting for an fsync now (for tests). */
    int waiting(Path dir) {
        Group g = groups.get(dir);
        if (g == null) {
            return 0;
        }
        g.lock.lock();
        try {
            return g.lock.getWaitQueueLength(g.generations[0]) + g.lock.getWaitQueueLength(g.generations[1]);
        } finally {
            g.lock.unlock();
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open a directory for fsync; its renames are still atomic
            if (!WINDOWS) {
                throw e;
            }
        }
    }
}
