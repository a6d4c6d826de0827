package org.smimegw.gateway.spool;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.smimegw.mailets.mime.LeanSharedFileInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-based {@link Spool}.
 *
 * <pre>
 * &lt;root&gt;/tmp/                 files being written (removed on start: never part of an entry)
 * &lt;root&gt;/&lt;area&gt;/&lt;id&gt;.env       envelope as JSON
 * &lt;root&gt;/&lt;area&gt;/&lt;id&gt;.eml       raw message (RFC 5322, CRLF); its presence is what makes the entry exist
 * </pre>
 *
 * Every file is written under {@code tmp/}, forced to disk ({@link FileChannel#force(boolean)}), renamed atomically
 * into its area, and the directory is fsynced. The envelope is put in place before the content, and the content
 * rename is the commit point: a crash leaves at most an {@code .env} without {@code .eml}, which {@link #list} and
 * {@link #find} ignore and the next start removes. A move writes the envelope into the target area, renames the
 * content (commit), then removes the old envelope. Deletion removes the content first and does not fsync the
 * directory: a deletion lost in a crash makes a finished entry reappear (at least once), never loses one. The files
 * of deleted INCOMING and OUTGOING entries are renamed into {@code tmp/} and reused for new files instead of being
 * unlinked ({@link SpoolFileRecycler}: no inode allocation per message), never while a reader has them open: an
 * envelope is read under its entry's lock, a content file {@link #open}ed is registered until it is closed, and a
 * reader in another process ({@link #attach}) checks that the file it read is still its entry's. An entry that
 * cannot be read is moved to {@link SpoolArea#CORRUPT} by the scan that finds it (the scan goes on). Free space is
 * watched against a reserve ({@link SpoolSettings#minFreeBytes()}, see {@link #hasRoomFor}). A
 * {@link SpooledMimeMessage} that nothing changed is stored by hard-linking its content file (no second copy, no
 * second content fsync; the file was forced when it was first stored). Queue ids sort by time, so a
 * listing by id is oldest first.
 *
 * <p>Thread-safe: operations on different entries run concurrently, operations on one entry are serialized. All
 * durability work goes through {@link #commit}, the place where a group commit (one directory fsync for several
 * renames) is done: concurrent stores into one area share directory fsyncs ({@link DirectorySync}).
 *
 * <p>{@link #open} returns a {@link SpooledMimeMessage}: close it to release the file handle.
 */
public final class FileSpool implements Spool, SpoolSpace {
    private static final Logger log = LoggerFactory.getLogger(FileSpool.class);
    private static final String CONTENT = ".eml";
    private static final String ENVELOPE = ".env";
    private static final int LOCK_STRIPES = 64;
    /**
     * Read buffer of an opened message: {@code SharedFileInputStream}'s default of 2 KiB made every 10 KB message
     * cost five seek+read pairs each time it was read (strace of the plain-relay bench: 14 lseek per message).
     */
    public static final int READ_BUFFER = 16 * 1024;
    /** Files of deleted entries kept for reuse (two per message in flight is plenty; beyond, they are unlinked). */
    private static final int RECYCLED_FILES = 512;
    /** Why an entry was moved to CORRUPT: one line of text next to its files. */
    private static final String REASON = ".reason";
    /** An envelope is a few hundred bytes; a file this large in its place is not one. */
    private static final int MAX_ENVELOPE_BYTES = 1024 * 1024;
    /** Entries moved to the CORRUPT area by this process. */
    public static final String CORRUPT_COUNTER = "spool.corrupt.moved";
    /** Write buffer of a content file: a 10 KB mail in one write; larger writes of the content writer bypass it. */
    private static final int CONTENT_BUFFER = 16 * 1024;
    /** Messages returned by {@link #open} and not closed yet: a growing value is a file-handle leak. */
    public static final String OPEN_MESSAGES_GAUGE = "spool.open.messages";

    private final Path root;
    private final Path tmp;
    private final QueueIdGenerator ids;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final Session mailSession = Session.getInstance(new Properties());
    private final Map<SpoolArea, AtomicLong> sizes = new EnumMap<>(SpoolArea.class);
    private final Map<SpoolArea, Path> dirs = new EnumMap<>(SpoolArea.class);
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final DirectorySync directorySync = new DirectorySync();
    private final AtomicLong openMessages = new AtomicLong();
    /** Content files opened for reading by this process, by file key, with the number of readers. */
    private final Map<Object, Integer> openFiles = new ConcurrentHashMap<>();
    private final SpoolFileRecycler recycler;
    private final SpoolSettings settings;
    private final FileStore fileStore;
    private final Counter corrupted;
    /** The gateway that works on this spool (true), or another process attached to it (false). */
    private final boolean owner;

    /**
     * Opens (creating when needed) the spool under {@code root}, cleans up what an interrupted run left behind and
     * registers the gauges {@code spool.<area>.size} (entries per area) in {@code metrics}.
     */
    public FileSpool(Path root, Clock clock, MetricRegistry metrics) throws SpoolException {
        this(root, clock, metrics, SpoolSettings.defaults(), true);
    }

    /** As above, with the free-space reserve and the bound of reused files of {@code settings}. */
    public FileSpool(Path root, Clock clock, MetricRegistry metrics, SpoolSettings settings) throws SpoolException {
        this(root, clock, metrics, settings, true);
    }

    /**
     * Opens the spool under {@code root} that a running gateway may be using (e.g. for {@code quarantine}
     * commands): like the constructor, but without the clean-up of interrupted writes, which would remove the
     * running gateway's files in progress. Safe for operations on entries the running gateway does not work on
     * (QUARANTINE, ERROR) and for storing or moving entries into INCOMING.
     */
    public static FileSpool attach(Path root, Clock clock, MetricRegistry metrics) throws SpoolException {
        return new FileSpool(root, clock, metrics, SpoolSettings.defaults(), false);
    }

    private FileSpool(Path root, Clock clock, MetricRegistry metrics, SpoolSettings settings, boolean cleanUp)
            throws SpoolException {
        this.root = root;
        this.tmp = root.resolve("tmp");
        this.settings = settings;
        this.owner = cleanUp;
        // another process attached to a running gateway's spool (quarantine commands) never recycles
        this.recycler = new SpoolFileRecycler(tmp, cleanUp ? RECYCLED_FILES : 0, settings.recycleBytes(),
                openFiles::containsKey);
        this.ids = new QueueIdGenerator(clock);
        for (SpoolArea area : SpoolArea.values()) {
            dirs.put(area, root.resolve(area.directoryName()));
        }
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        this.corrupted = metrics.counter(CORRUPT_COUNTER);
        try {
            Files.createDirectories(tmp);
            for (SpoolArea area : SpoolArea.values()) {
                Files.createDirectories(dir(area));
            }
            fileStore = Files.getFileStore(root);
            recover(cleanUp);
        } catch (IOException e) {
            throw new SpoolException("cannot open spool at " + root + ": " + e.getMessage(), e);
        }
        for (SpoolArea area : SpoolArea.values()) {
            String name = MetricRegistry.name("spool", area.directoryName(), "size");
            metrics.remove(name);
            AtomicLong size = sizes.get(area);
            if (area == SpoolArea.QUARANTINE || area == SpoolArea.ERROR || area == SpoolArea.CORRUPT) {
                // administrators change these from outside the process (spool requeue/delete): count the files
                metrics.register(name, (Gauge<Long>) () -> countEntries(area, size));
            } else {
                metrics.register(name, (Gauge<Long>) size::get);
            }
        }
        metrics.remove(OPEN_MESSAGES_GAUGE);
        metrics.register(OPEN_MESSAGES_GAUGE, (Gauge<Long>) openMessages::get);
    }

    public Path root() {
        return root;
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, InputStream content) throws SpoolException {
        try {
            return store(area, envelope, (id, out) -> content.transferTo(out));
        } catch (SpoolException e) {
            throw e;
        } catch (IOException e) {
            throw new SpoolException("cannot read message content: " + e.getMessage(), e);
        }
    }

    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, MimeMessage message) throws SpoolException {
        if (message instanceof SpooledMimeMessage spooled) {
            Optional<Path> unchanged = spooled.unchangedFile();
            if (unchanged.isPresent() && unchanged.get().startsWith(root)) {
                Optional<SpoolEntry> linked = storeLinked(area, envelope, unchanged.get());
                if (linked.isPresent()) {
                    return linked.get();
                }
            }
        }
        try {
            return store(area, envelope, (id, out) -> {
                try {
                    message.writeTo(out);
                } catch (MessagingException e) {
                    throw new IOException("cannot write message: " + e.getMessage(), e);
                }
            });
        } catch (SpoolException e) {
            throw e;
        } catch (IOException e) {
            throw new SpoolException("cannot write message content: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a new message whose content {@code writer} streams, after the id is allocated. Exceptions of the
     * writer propagate unchanged (nothing is left behind); failures of the spool's files are {@link SpoolException}.
     */
    @Override
    public SpoolEntry store(SpoolArea area, Envelope envelope, SpoolContentWriter writer) throws IOException {
        String id = ids.next();
        Path tmpContent = tmp.resolve(id + CONTENT);
        Path tmpEnvelope = tmp.resolve(id + ENVELOPE);
        boolean done = false;
        try {
            writeContent(tmpContent, id, writer);
            try {
                writeEnvelope(tmpEnvelope, envelope);
                commit(area, id, tmpEnvelope, tmpContent);
            } catch (IOException e) {
                // not acknowledged: undo renames that may have happened, so the client's retry is not a duplicate
                deleteQuietly(contentFile(area, id));
                deleteQuietly(envelopeFile(area, id));
                throw new SpoolException("cannot store " + id + " in " + root + ": " + e.getMessage(), e);
            }
            done = true;
        } finally {
            if (!done) {
                deleteQuietly(tmpContent);
                deleteQuietly(tmpEnvelope);
            }
        }
        sizes.get(area).incrementAndGet();
        log.debug("stored {} in {}", id, area.directoryName());
        return new SpoolEntry(id, area, envelope, contentFile(area, id));
    }

    /**
     * Stores an unchanged spooled message by hard-linking its (already fsynced) content file instead of writing and
     * fsyncing a copy: the envelope is written and forced, the link made in tmp/ and committed like any content.
     * Empty when the file system cannot link (or the source vanished): the caller writes a copy instead.
     */
    private Optional<SpoolEntry> storeLinked(SpoolArea area, Envelope envelope, Path source) throws SpoolException {
        String id = ids.next();
        Path tmpContent = tmp.resolve(id + CONTENT);
        Path tmpEnvelope = tmp.resolve(id + ENVELOPE);
        try {
            Files.createLink(tmpContent, source);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot link {} ({}), writing a copy", source, e.toString());
            return Optional.empty();
        }
        boolean done = false;
        try {
            writeEnvelope(tmpEnvelope, envelope);
            commit(area, id, tmpEnvelope, tmpContent);
            done = true;
        } catch (IOException e) {
            deleteQuietly(contentFile(area, id));
            deleteQuietly(envelopeFile(area, id));
            throw new SpoolException("cannot store " + id + " in " + root + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                deleteQuietly(tmpContent);
                deleteQuietly(tmpEnvelope);
            }
        }
        sizes.get(area).incrementAndGet();
        log.debug("stored {} in {} (linked, unchanged content)", id, area.directoryName());
        return Optional.of(new SpoolEntry(id, area, envelope, contentFile(area, id)));
    }

    /**
     * Entries of an area, oldest first. An entry that cannot be read does not stop the scan: the gateway that owns
     * the spool moves it to {@link SpoolArea#CORRUPT} (log line, counter {@value #CORRUPT_COUNTER}); a process
     * attached to it ({@link #attach}) leaves it to the gateway and skips it; an entry whose file cannot be read
     * right now (a disk error) is skipped this time.
     */
    @Override
    public List<SpoolEntry> list(SpoolArea area) throws SpoolException {
        List<String> idList = ids(area);
        List<SpoolEntry> entries = new ArrayList<>(idList.size());
        for (String id : idList) {
            try {
                find(area, id).ifPresent(entries::add);
            } catch (UnreadableEntryException e) {
                if (owner && area != SpoolArea.CORRUPT) {
                    moveAside(e);
                } else {
                    log.warn("{}; skipped", e.getMessage());
                }
            } catch (SpoolException e) {
                log.warn("cannot read spool entry {} in {} now, skipped: {}", id, area.directoryName(), e.getMessage());
            }
        }
        // entries may also come and go through other processes (quarantine release into INCOMING): resync
        sizes.get(area).set(entries.size());
        return entries;
    }

    /** Queue ids of the entries (content files) in an area, oldest first, whether their envelope reads or not. */
    public List<String> ids(SpoolArea area) throws SpoolException {
        List<String> idList = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(area), "*" + CONTENT)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - CONTENT.length());
                if (QueueIdGenerator.isValid(id)) {
                    idList.add(id);
                }
            }
        } catch (IOException e) {
            throw new SpoolException("cannot list spool area " + dir(area) + ": " + e.getMessage(), e);
        }
        idList.sort(null);
        return idList;
    }

    /**
     * The entry, or empty when there is none (or it is being removed). Throws {@link UnreadableEntryException}
     * when its files are there but cannot be understood. The envelope is read under the entry's lock, which every
     * change of the entry in this process holds, and afterwards checked to be still the entry's file (for a process
     * attached to a running gateway, which may delete the entry and reuse its files meanwhile): an envelope that
     * changed while it was read is read again, one that went away means the entry did.
     */
    @Override
    public Optional<SpoolEntry> find(SpoolArea area, String id) throws SpoolException {
        if (!QueueIdGenerator.isValid(id)) {
            return Optional.empty();
        }
        synchronized (lockFor(id)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<Optional<SpoolEntry>> read = read(area, id);
                if (read.isPresent()) {
                    return read.get();
                }
            }
        }
        throw new SpoolException("the envelope of " + id + " in " + area.directoryName()
                + " kept changing while it was read", null);
    }

    /** One attempt of {@link #find}: empty when the envelope changed while it was read (try again). */
    private Optional<Optional<SpoolEntry>> read(SpoolArea area, String id) throws SpoolException {
        Path content = contentFile(area, id);
        Path env = envelopeFile(area, id);
        if (!Files.isRegularFile(content)) {
            return Optional.of(Optional.empty()); // not there, or being deleted (the content goes first)
        }
        Object key = fileKey(env);
        if (key == null) {
            if (!Files.isRegularFile(content)) {
                return Optional.of(Optional.empty());
            }
            // the envelope is committed before the content and removed after it: never a passing state
            throw new UnreadableEntryException(id, area, content, "content without envelope", null);
        }
        byte[] json;
        try {
            json = readEnvelopeBytes(env);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new SpoolException("cannot read envelope " + env + ": " + e.getMessage(), e);
        }
        if (!key.equals(fileKey(env))) {
            return Optional.empty(); // replaced (updated) or removed while it was read
        }
        if (!Files.isRegularFile(content)) {
            return Optional.of(Optional.empty());
        }
        try {
            return Optional.of(Optional.of(new SpoolEntry(id, area, codec.read(json, 0, json.length), content)));
        } catch (IOException e) {
            throw new UnreadableEntryException(id, area, env, "envelope does not parse: " + oneLine(e.getMessage()),
                    e);
        }
    }

    private static byte[] readEnvelopeBytes(Path env) throws IOException {
        try (InputStream in = Files.newInputStream(env)) {
            byte[] json = in.readNBytes(MAX_ENVELOPE_BYTES + 1);
            if (json.length > MAX_ENVELOPE_BYTES) {
                // parsed as it is, it fails and names what is wrong; no need to read the rest
                return java.util.Arrays.copyOf(json, MAX_ENVELOPE_BYTES);
            }
            return json;
        }
    }

    /** True while the entry's content is in its area. */
    @Override
    public boolean contains(SpoolEntry entry) {
        return Files.isRegularFile(contentFile(entry.area(), entry.id()));
    }

    /**
     * Moves an entry that cannot be read to {@link SpoolArea#CORRUPT} with the reason next to it, so that the
     * scans go on without it; nothing of it is lost. Logged (without content) and counted.
     */
    private void moveAside(UnreadableEntryException e) {
        String id = e.id();
        SpoolArea from = e.area();
        synchronized (lockFor(id)) {
            if (!Files.exists(contentFile(from, id))) {
                return; // moved or removed meanwhile (another scan found it too)
            }
            try {
                Path target = dir(SpoolArea.CORRUPT);
                Files.writeString(target.resolve(id + REASON), "moved from " + from.directoryName() + ": "
                        + e.reason() + System.lineSeparator());
                // the content first: what is left behind for a moment is an envelope alone, which scans ignore
                Files.move(contentFile(from, id), contentFile(SpoolArea.CORRUPT, id), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                if (Files.exists(envelopeFile(from, id))) {
                    Files.move(envelopeFile(from, id), envelopeFile(SpoolArea.CORRUPT, id),
                            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                fsyncDirectory(target);
                fsyncDirectory(dir(from));
            } catch (NoSuchFileException gone) {
                return; // removed meanwhile
            } catch (IOException failed) {
                log.error("{}; could not move it to {}: {}", e.getMessage(), SpoolArea.CORRUPT.directoryName(),
                        failed.getMessage());
                return;
            }
        }
        corrupted.inc();
        log.error("{}; moved to {} (bin/smime-gateway spool show corrupt {})", e.getMessage(),
                dir(SpoolArea.CORRUPT), id);
    }

    /**
     * Copies an entry's content as stored to {@code out}: all of it, or with {@code headerOnly} up to and including
     * the empty line after the header. For administrators' commands, which may run beside the gateway: while it is
     * read the file is registered as read in this process, and afterwards it is checked to be still the entry's
     * (a gateway deleting the entry meanwhile may reuse the file). Returns the bytes copied.
     */
    public long copyContent(SpoolArea area, String id, OutputStream out, boolean headerOnly) throws SpoolException {
        Path content = contentFile(area, id);
        Object key = QueueIdGenerator.isValid(id) ? fileKey(content) : null;
        if (key == null) {
            throw new SpoolException("no spool entry " + id + " in " + area.directoryName(),
                    new NoSuchFileException(content.toString()));
        }
        openFiles.merge(key, 1, Integer::sum);
        long copied = 0;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(content), CONTENT_BUFFER)) {
            if (!headerOnly) {
                copied = in.transferTo(out);
            } else {
                int previous = -1;
                int lineLength = 0;
                for (int b = in.read(); b != -1; b = in.read()) {
                    out.write(b);
                    copied++;
                    if (b == '\n') {
                        if (lineLength == 0 || lineLength == 1 && previous == '\r') {
                            break;
                        }
                        lineLength = 0;
                    } else {
                        lineLength++;
                    }
                    previous = b;
                }
            }
        } catch (IOException e) {
            throw new SpoolException("cannot read " + content + ": " + e.getMessage(), e);
        } finally {
            openFiles.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
        if (!key.equals(fileKey(content))) {
            throw new SpoolException("spool entry " + id + " was removed while it was read; what was shown may belong "
                    + "to another message", null);
        }
        return copied;
    }

    /** Why an entry of the CORRUPT area was moved there, as written when it was. */
    public Optional<String> corruptReason(String id) {
        if (!QueueIdGenerator.isValid(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(dir(SpoolArea.CORRUPT).resolve(id + REASON)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Removes an entry's files whatever state they are in (content, envelope, and in CORRUPT the reason): for an
     * administrator deleting an entry that may not read. True when there was content to remove.
     */
    public boolean deleteFiles(SpoolArea area, String id) throws SpoolException {
        if (!QueueIdGenerator.isValid(id)) {
            return false;
        }
        synchronized (lockFor(id)) {
            try {
                boolean existed = unlinkIfExists(contentFile(area, id));
                unlinkIfExists(envelopeFile(area, id));
                unlinkIfExists(dir(area).resolve(id + REASON));
                if (existed) {
                    sizes.get(area).decrementAndGet();
                }
                return existed;
            } catch (IOException e) {
                throw new SpoolException("cannot delete " + id + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether a message of {@code bytes} may be accepted: the spool's file system keeps
     * {@link SpoolSettings#minFreeBytes()} free after it. When it would not, the files kept for reuse are given back
     * first. For the SMTP front end at MAIL FROM (with the declared SIZE), as Postfix's {@code queue_minfree}.
     */
    @Override
    public boolean hasRoomFor(long bytes) {
        if (usableSpace() - bytes >= settings.minFreeBytes()) {
            return true;
        }
        long freed = recycler.drain();
        if (freed > 0) {
            log.info("free space below the reserve of {} bytes: gave back {} bytes of reused spool files",
                    settings.minFreeBytes(), freed);
        }
        return usableSpace() - bytes >= settings.minFreeBytes();
    }

    /** Bytes free for the gateway on the spool's file system now (Long.MAX_VALUE when it cannot be told). */
    public long usableSpace() {
        try {
            return freeBytes();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** For readiness: the free space, or why it cannot be told. */
    @Override
    public long freeBytes() throws IOException {
        return fileStore.getUsableSpace();
    }

    /** The reserve {@link #hasRoomFor} keeps ({@link SpoolSettings#minFreeBytes()}): readiness uses the same one. */
    @Override
    public long reserveBytes() {
        return settings.minFreeBytes();
    }

    /** Files of deleted entries held for reuse now, and the bytes they hold (for tests and metrics). */
    long[] recycledFiles() {
        return new long[] {recycler.size(), recycler.bytes()};
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    @Override
    public SpoolEntry updateEnvelope(SpoolEntry entry, Envelope envelope) throws SpoolException {
        synchronized (lockFor(entry.id())) {
            requireContent(entry);
            Path tmpEnvelope = tmp.resolve(entry.id() + ".upd" + ENVELOPE);
            try {
                writeEnvelope(tmpEnvelope, envelope);
                Files.move(tmpEnvelope, envelopeFile(entry.area(), entry.id()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                fsyncDirectory(dir(entry.area()));
            } catch (IOException e) {
                deleteQuietly(tmpEnvelope);
                throw new SpoolException("cannot update envelope of " + entry.id() + ": " + e.getMessage(), e);
            }
            return new SpoolEntry(entry.id(), entry.area(), envelope, entry.contentFile());
        }
    }

    @Override
    public SpoolEntry move(SpoolEntry entry, SpoolArea to) throws SpoolException {
        if (entry.area() == to) {
            return entry;
        }
        synchronized (lockFor(entry.id())) {
            requireContent(entry);
            String id = entry.id();
            Path tmpEnvelope = tmp.resolve(id + ".mv" + ENVELOPE);
            try {
                Files.copy(envelopeFile(entry.area(), id), tmpEnvelope, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(tmpEnvelope, StandardOpenOption.WRITE)) {
                    force(ch);
                }
                commit(to, id, tmpEnvelope, contentFile(entry.area(), id));
                Files.deleteIfExists(envelopeFile(entry.area(), id));
                fsyncDirectory(dir(entry.area()));
            } catch (IOException e) {
                deleteQuietly(tmpEnvelope);
                throw new SpoolException("cannot move " + id + " to " + to.directoryName() + ": " + e.getMessage(), e);
            }
            sizes.get(entry.area()).decrementAndGet();
            sizes.get(to).incrementAndGet();
            return new SpoolEntry(id, to, entry.envelope(), contentFile(to, id));
        }
    }

    @Override
    public void delete(SpoolEntry entry) throws SpoolException {
        synchronized (lockFor(entry.id())) {
            try {
                boolean reuse = mayReuseFilesOf(entry.area());
                boolean existed = recycleOrUnlink(reuse, contentFile(entry.area(), entry.id()));
                recycleOrUnlink(reuse, envelopeFile(entry.area(), entry.id()));
                // no directory fsync: a deletion lost in a crash brings a finished entry back (processed or
                // delivered once more: at least once), it never loses one; what replaces it is durable already
                if (existed) {
                    sizes.get(entry.area()).decrementAndGet();
                }
            } catch (IOException e) {
                throw new SpoolException("cannot delete " + entry.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The entry's content, backed by its file. Until the message is closed its file is registered as read, so that
     * deleting the entry meanwhile unlinks the file instead of reusing it for another message.
     */
    @Override
    public MimeMessage open(SpoolEntry entry) throws SpoolException {
        Path content = contentFile(entry.area(), entry.id());
        Object key = fileKey(content);
        if (key == null) {
            throw new SpoolException("cannot open " + content + ": no such entry (removed meanwhile)",
                    new NoSuchFileException(content.toString()));
        }
        openFiles.merge(key, 1, Integer::sum); // before the file is opened: the recycler looks after renaming it away
        Runnable release = () -> {
            openFiles.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            openMessages.decrementAndGet();
        };
        openMessages.incrementAndGet();
        LeanSharedFileInputStream in = null;
        try {
            in = new LeanSharedFileInputStream(content.toFile(), READ_BUFFER);
            return new SpooledMimeMessage(mailSession, content, in, release);
        } catch (IOException | MessagingException | RuntimeException e) {
            closeQuietly(in);
            release.run();
            if (e instanceof java.io.FileNotFoundException) {
                throw new SpoolException("cannot open " + content + ": no such entry (removed meanwhile)",
                        new NoSuchFileException(content.toString()));
            }
            throw new SpoolException((e instanceof MessagingException ? "cannot parse " : "cannot open ") + content
                    + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // the failure reported is the one that made us close it
            }
        }
    }

    // ---- durability

    /**
     * Puts a new envelope and then the content (the commit point) into {@code area}, fsyncing the directory. The
     * single place that makes entries durable; concurrent callers share directory fsyncs (group commit).
     */
    private void commit(SpoolArea area, String id, Path envelopeSource, Path contentSource) throws IOException {
        Path areaDir = dir(area);
        Files.move(envelopeSource, envelopeFile(area, id), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(contentSource, contentFile(area, id), StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(areaDir);
        // the source directory is not fsynced here: a name left in tmp/ by a crash is removed on start, and move()
        // fsyncs the area it moved out of itself
    }

    /** Streams the writer's output into {@code file} and forces it; only the writer's own failures stay plain. */
    private void writeContent(Path file, String id, SpoolContentWriter writer) throws IOException {
        FileChannel ch;
        try {
            ch = openForWriting(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SpoolException("cannot create " + file + ": " + e.getMessage(), e);
        }
        try {
            OutputStream out = new SpoolFailureOutputStream(
                    new BufferedOutputStream(Channels.newOutputStream(ch), CONTENT_BUFFER));
            try {
                writer.writeTo(id, out);
                out.flush();
            } catch (SpoolFailureOutputStream.SpoolWriteFailure e) {
                throw new SpoolException("cannot write " + file + ": " + e.getMessage(), e.getCause());
            }
            try {
                endAndForce(ch);
                ch.close();
            } catch (IOException e) {
                throw new SpoolException("cannot sync " + file + ": " + e.getMessage(), e);
            }
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    log.debug("closing {} after a failure: {}", file, e.getMessage());
                }
            }
        }
    }

    private void writeEnvelope(Path file, Envelope envelope) throws IOException {
        try (FileChannel ch = openForWriting(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            codec.write(envelope, Channels.newOutputStream(ch)); // buffered by the generator: one write for most
            endAndForce(ch);
        }
    }

    /**
     * A channel that writes {@code file} from its start: a file of a deleted entry renamed to that name when the
     * recycler holds one (it still has the old bytes: finish with {@link #endAndForce}), else opened with
     * {@code newFileOptions}.
     */
    private FileChannel openForWriting(Path file, StandardOpenOption... newFileOptions) throws IOException {
        return recycler.takeAs(file) ? FileChannel.open(file, StandardOpenOption.WRITE)
                : FileChannel.open(file, newFileOptions);
    }

    /** Cuts off what a reused file's older, maybe longer, content left behind the new end, and forces the file. */
    private static void endAndForce(FileChannel ch) throws IOException {
        ch.truncate(ch.position()); // nothing to cut for a new file
        force(ch);
    }

    /**
     * Whether the files of a deleted entry of {@code area} may be kept for reuse: only INCOMING and OUTGOING, which
     * administrators' commands do not read while the gateway deletes, and only while free space is above the
     * reserve plus what the pool may hold (else the pool is given back).
     */
    private boolean mayReuseFilesOf(SpoolArea area) {
        if ((area != SpoolArea.INCOMING && area != SpoolArea.OUTGOING) || !recycler.enabled()) {
            return false;
        }
        if (usableSpace() >= settings.minFreeBytes() + settings.recycleBytes()) {
            return true;
        }
        long freed = recycler.drain();
        if (freed > 0) {
            log.info("free space is short: gave back {} bytes of reused spool files", freed);
        }
        return false;
    }

    /** Removes a file of an entry being deleted: into the recycler (which may still unlink it) or unlinked. */
    private boolean recycleOrUnlink(boolean reuse, Path file) throws IOException {
        return reuse ? recycler.remove(file) : unlinkIfExists(file);
    }

    private static void force(FileChannel ch) throws IOException {
        ch.force(true);
    }

    private void fsyncDirectory(Path dir) throws IOException {
        directorySync.sync(dir);
    }

    /** On start: empties tmp/, removes envelopes whose content never arrived (interrupted store or move). */
    private void recover(boolean cleanUp) throws IOException {
        int removed = 0;
        List<UnreadableEntryException> orphans = new ArrayList<>();
        if (cleanUp) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
                for (Path p : ds) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        for (SpoolArea area : SpoolArea.values()) {
            long count = 0;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(area))) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(ENVELOPE)) {
                        String id = name.substring(0, name.length() - ENVELOPE.length());
                        if (cleanUp && !Files.exists(contentFile(area, id))) {
                            Files.deleteIfExists(p);
                            removed++;
                        }
                    } else if (name.endsWith(CONTENT)) {
                        String id = name.substring(0, name.length() - CONTENT.length());
                        if (Files.exists(envelopeFile(area, id)) || area == SpoolArea.CORRUPT) {
                            count++;
                        } else if (cleanUp && QueueIdGenerator.isValid(id)) {
                            orphans.add(new UnreadableEntryException(id, area, contentFile(area, id), "content without envelope",
                                    null));
                        } else {
                            log.warn("spool entry {} in {} has content but no envelope; ignored", id, area.directoryName());
                        }
                    }
                }
            }
            sizes.put(area, new AtomicLong(count));
        }
        if (removed > 0) {
            fsyncDirectory(tmp);
            log.info("spool {}: removed {} leftover file(s) of interrupted writes", root, removed);
        }
        orphans.forEach(this::moveAside);
    }

    /** Entries (content files) in an area now; the last known count when the directory cannot be read. */
    private long countEntries(SpoolArea area, AtomicLong lastKnown) {
        long count = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(area), "*" + CONTENT)) {
            for (Path ignored : ds) {
                count++;
            }
        } catch (IOException e) {
            return lastKnown.get();
        }
        lastKnown.set(count);
        return count;
    }

    private void requireContent(SpoolEntry entry) throws SpoolException {
        if (!Files.isRegularFile(contentFile(entry.area(), entry.id()))) {
            throw new SpoolException("no spool entry " + entry.id() + " in " + entry.area().directoryName(),
                    new NoSuchFileException(contentFile(entry.area(), entry.id()).toString()));
        }
    }

    private Object lockFor(String id) {
        return locks[Math.floorMod(id.hashCode(), locks.length)];
    }

    private Path dir(SpoolArea area) {
        return dirs.get(area);
    }

    private Path contentFile(SpoolArea area, String id) {
        return dir(area).resolve(id + CONTENT);
    }

    private Path envelopeFile(SpoolArea area, String id) {
        return dir(area).resolve(id + ENVELOPE);
    }

    /**
     * {@link Files#deleteIfExists} of a spool file in one system call where it works (that method looks the file up
     * first to tell a directory from a file); the reason of a failure still comes from {@link Files#deleteIfExists}.
     */
    private static boolean unlinkIfExists(Path file) throws IOException {
        return file.toFile().delete() || Files.deleteIfExists(file);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot remove temp file {}: {}", p, e.getMessage());
        }
    }

    /** Marks write failures of the spool file so they are told apart from the content writer's own failures. */
    private static final class SpoolFailureOutputStream extends FilterOutputStream {
        static final class SpoolWriteFailure extends IOException {
            SpoolWriteFailure(IOException cause) {
                super(cause.getMessage(), cause);
            }
        }

        SpoolFailureOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new SpoolWriteFailure(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new SpoolWriteFailure(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new SpoolWriteFailure(e);
            }
        }
    }
}
