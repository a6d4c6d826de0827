package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Directory fsync with group commit: callers that need the same directory synced while an fsync of it is running
 * share the next one instead of each issuing their own. A caller returns only after an fsync that began after its
 * call (so after its rename) has completed, which is exactly the guarantee of a private fsync.
 */
final class DirectorySync {
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    private static final class State {
        long requested;            // guarded by this
        volatile long completed;   // written under syncLock
        final Object syncLock = new Object();
    }

    private final ConcurrentMap<Path, State> states = new ConcurrentHashMap<>();

    void sync(Path dir) throws IOException {
        State s = states.computeIfAbsent(dir, d -> new State());
        long ticket;
        synchronized (s) {
            ticket = ++s.requested;
        }
        synchronized (s.syncLock) {
            if (s.completed >= ticket) {
                return; // an fsync that started after our request has finished
            }
            long covered;
            synchronized (s) {
                covered = s.requested;
            }
            fsync(dir);
            s.completed = covered;
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
