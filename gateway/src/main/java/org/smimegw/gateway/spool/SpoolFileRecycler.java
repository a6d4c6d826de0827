package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reuses the files of finished spool entries for new ones instead of unlinking them and creating new files. Every
 * relayed message used to cost the file system two inode allocations and two inode frees; on ext4 without a journal
 * the allocator skips every inode freed in the last ~30 s ({@code recently_deleted}), which at a few hundred
 * messages per second was ~30 % of the gateway's CPU (perf, kernel side). A recycled file keeps its inode: it is
 * renamed into the pool directory ({@code tmp/}) when its entry is deleted and renamed to the new file's name when
 * one is needed; the writer then overwrites it and truncates it to the new length before forcing it.
 *
 * <p>Only files with a single link are taken (a content file hard-linked into another area stays with that entry),
 * and only from areas no other process reads while the gateway deletes ({@link SpoolArea#INCOMING},
 * {@link SpoolArea#OUTGOING}): a reader still holding an old descriptor would otherwise see the next message's bytes.
 * Pool files live in {@code tmp/}, which is emptied on start, so a crash leaves nothing to clean up. Thread-safe.
 */
final class SpoolFileRecycler {
    private static final String PREFIX = "recycled-";

    private final Path pool;
    private final int capacity;
    private final ConcurrentLinkedDeque<Path> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong names = new AtomicLong();
    private final boolean linkCountKnown;

    /**
     * @param pool     directory holding free files (the spool's {@code tmp/}); must be on the spool's file system
     * @param capacity most free files kept (beyond, deleted files are unlinked as before); 0 turns recycling off
     */
    SpoolFileRecycler(Path pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
        this.linkCountKnown = pool.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /**
     * Takes {@code file} (the file of an entry being deleted) into the pool. False when it was not taken — pool full,
     * recycling unsupported, other hard links — and the caller must delete it itself.
     */
    boolean recycle(Path file) throws IOException {
        if (!linkCountKnown || capacity <= 0) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        boolean taken = false;
        try {
            Object links = Files.getAttribute(file, "unix:nlink");
            if (!(links instanceof Integer n) || n != 1) {
                return false;
            }
            Path target = pool.resolve(PREFIX + names.incrementAndGet());
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            free.push(target);
            taken = true;
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } finally {
            if (!taken) {
                size.decrementAndGet();
            }
        }
    }

    /**
     * Renames a free file to {@code target} (in the pool's directory, not existing yet). False when the pool is
     * empty: the caller creates a new file. The file still holds an old message: overwrite it and truncate it.
     */
    boolean takeAs(Path target) throws IOException {
        Path file;
        while ((file = free.poll()) != null) {
            size.decrementAndGet();
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException e) {
                // removed from outside (an operator cleaning tmp/): try the next one
            }
        }
        return false;
    }

    /** Free files held now. */
    int size() {
        return size.get();
    }
}
