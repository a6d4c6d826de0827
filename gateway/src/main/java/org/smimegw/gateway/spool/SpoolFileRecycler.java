package org.smimegw.gateway.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Reuses the files of finished spool entries for new ones instead of unlinking them and creating new files. Every
 * relayed message used to cost the file system two inode allocations and two inode frees; on ext4 without a journal
 * the allocator skips every inode freed in the last ~30 s ({@code recently_deleted}), which at a few hundred
 * messages per second was ~30 % of the gateway's CPU (perf, kernel side). A recycled file keeps its inode: it is
 * renamed into the pool directory ({@code tmp/}) when its entry is deleted and renamed to the new file's name when
 * one is needed; the writer then overwrites it and truncates it to the new length before forcing it.
 *
 * <p>Reuse must never let a reader see another message's bytes. A file is therefore first renamed out of its entry's
 * place (after that nobody can open it by name), and only then judged: it is kept only if it has no other link (a
 * content file hard-linked into another area stays with that entry; a process pinning a file with a link keeps it)
 * and no reader of this process has it open ({@code inUse}, the spool's registry of opened content files); otherwise
 * it is unlinked, and POSIX keeps it for whoever holds it. Readers in other processes ({@code FileSpool.attach})
 * check that what they read is still their entry's file. Pool files live in {@code tmp/}, which is emptied on start,
 * so a crash leaves nothing to clean up.
 *
 * <p>The pool is bounded by a number of files and of bytes (the old contents a pool file still holds until it is
 * reused count against the disk), and {@link #drain()} gives everything back when free space runs short. Thread-safe.
 */
final class SpoolFileRecycler {
    private static final String PREFIX = "recycled-";

    private record Free(Path path, long size) {
    }

    private final Path pool;
    private final int maxFiles;
    private final long maxBytes;
    private final Predicate<Object> inUse;
    private final ConcurrentLinkedDeque<Free> free = new ConcurrentLinkedDeque<>();
    /** Files and bytes in the pool, or reserved for a file about to be added: {@code [files, bytes]} under the lock. */
    private int files;
    private long bytes;
    private final AtomicLong names = new AtomicLong();
    private final boolean linkCountKnown;

    /**
     * @param pool     directory holding free files (the spool's {@code tmp/}); must be on the spool's file system
     * @param maxFiles most free files kept; 0 turns recycling off
     * @param maxBytes most bytes the free files may hold together; 0 turns recycling off
     * @param inUse    true for the file key ({@code BasicFileAttributes.fileKey()}) of a file a reader has open
     */
    SpoolFileRecycler(Path pool, int maxFiles, long maxBytes, Predicate<Object> inUse) {
        this.pool = pool;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.inUse = inUse;
        this.linkCountKnown = pool.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /** Whether files are kept for reuse at all. */
    boolean enabled() {
        return linkCountKnown && maxFiles > 0 && maxBytes > 0;
    }

    /**
     * Removes {@code file} (the file of an entry being deleted) from its place: into the pool when it may be reused,
     * else unlinked. False when there was no such file.
     */
    boolean remove(Path file) throws IOException {
        if (!enabled() || isFull()) {
            return unlink(file);
        }
        Path target = pool.resolve(PREFIX + names.incrementAndGet());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        // out of its entry's place: from now on only readers that already hold it can see it
        Map<String, Object> attributes = Files.readAttributes(target, "unix:nlink,size,fileKey");
        long size = ((Number) attributes.get("size")).longValue();
        if (!(attributes.get("nlink") instanceof Integer links) || links != 1 || inUse.test(attributes.get("fileKey"))
                || !reserve(size)) {
            Files.deleteIfExists(target);
            return true;
        }
        free.push(new Free(target, size));
        return true;
    }

    /**
     * Renames a free file to {@code target} (in the pool's directory, not existing yet). False when the pool is
     * empty: the caller creates a new file. The file still holds an old message: overwrite it and truncate it.
     */
    boolean takeAs(Path target) throws IOException {
        Free file;
        while ((file = free.poll()) != null) {
            release(file.size());
            try {
                Files.move(file.path(), target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException e) {
                // removed from outside (an operator cleaning tmp/): try the next one
            }
        }
        return false;
    }

    /** Unlinks every free file (free space ran short); returns the bytes they held. */
    long drain() {
        long freed = 0;
        Free file;
        while ((file = free.poll()) != null) {
            release(file.size());
            try {
                if (Files.deleteIfExists(file.path())) {
                    freed += file.size();
                }
            } catch (IOException e) {
                // gone or not removable: nothing to give back for it
            }
        }
        return freed;
    }

    /** Free files held now. */
    synchronized int size() {
        return files;
    }

    /** Bytes the free files hold now. */
    synchronized long bytes() {
        return bytes;
    }

    private synchronized boolean isFull() {
        return files >= maxFiles || bytes >= maxBytes;
    }

    private synchronized boolean reserve(long size) {
        if (files + 1 > maxFiles || bytes + size > maxBytes) {
            return false;
        }
        files++;
        bytes += size;
        return true;
    }

    private synchronized void release(long size) {
        files--;
        bytes -= size;
    }

    private static boolean unlink(Path file) throws IOException {
        return file.toFile().delete() || Files.deleteIfExists(file);
    }
}
