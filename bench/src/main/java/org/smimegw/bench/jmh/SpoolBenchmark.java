package org.smimegw.bench.jmh;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.codahale.metrics.MetricRegistry;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.smimegw.bench.load.MessageTemplate;
import org.smimegw.gateway.spool.Envelope;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.gateway.spool.SpoolSettings;

/**
 * The spool's write path: {@code FileSpool.store} of one message (temp file, fsync, rename, directory fsync) with
 * 1, 4 and 20 concurrent writers (the SMTP sessions), next to the bare cost of write + fsync + rename + directory
 * fsync of one file. The spool directory is under {@code -p dir=...} (default: java.io.tmpdir) — put it on the disk
 * the gateway's stateDir would use; a tmpfs makes fsync free.
 * Run: {@code bench/run.sh jmh SpoolBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SpoolBenchmark {

    @Param({"10240"})
    public int size;

    @Param({""})
    public String dir;

    /** Bytes the files of deleted entries kept for reuse may hold ({@code spool.recycleBytes}); 0 = no reuse. */
    @Param({"33554432"})
    public long recycleBytes;

    private Path root;
    private FileSpool spool;
    private byte[] content;
    private Envelope envelope;
    private final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path base = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(dir);
        root = Files.createTempDirectory(base, "smimegw-jmh-spool");
        spool = new FileSpool(root.resolve("spool"), Clock.systemUTC(), new MetricRegistry(),
                new SpoolSettings(0, recycleBytes));
        content = MessageTemplate.plain(size, MessageTemplate.partnerRecipients(1)).content();
        envelope = new Envelope("alice@example.com", Map.of(), List.of("user1@partner.example"), "127.0.0.1",
                "bench.example", null, Instant.now(), Map.of());
        Files.createDirectories(root.resolve("raw/tmp"));
        Files.createDirectories(root.resolve("raw/done"));
    }

    /** Keeps the directories small: removes what an iteration stored. */
    @TearDown(Level.Iteration)
    public void emptySpool() throws Exception {
        for (SpoolEntry e : spool.list(SpoolArea.INCOMING)) {
            spool.delete(e);
        }
        BenchFiles.deleteTree(root.resolve("raw/done"));
        Files.createDirectories(root.resolve("raw/done"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchFiles.deleteTree(root);
    }

    @Benchmark
    @Threads(1)
    public SpoolEntry store1Writer() throws Exception {
        return spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(content));
    }

    @Benchmark
    @Threads(4)
    public SpoolEntry store4Writers() throws Exception {
        return spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(content));
    }

    @Benchmark
    @Threads(20)
    public SpoolEntry store20Writers() throws Exception {
        return spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(content));
    }

    /**
     * Store, then delete: the steady state of a relay, in which the files of finished entries are reused for new
     * ones (see {@code SpoolFileRecycler}) instead of unlinking them and allocating new inodes.
     */
    @Benchmark
    @Threads(1)
    public void storeDelete1Writer() throws Exception {
        spool.delete(spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(content)));
    }

    @Benchmark
    @Threads(20)
    public void storeDelete20Writers() throws Exception {
        spool.delete(spool.store(SpoolArea.INCOMING, envelope, new ByteArrayInputStream(content)));
    }

    /** The floor: one file written, fsynced, renamed, its directory fsynced — no envelope, no spool logic. */
    @Benchmark
    @Threads(1)
    public Path rawWriteFsyncRename1Writer() throws Exception {
        return rawWrite();
    }

    @Benchmark
    @Threads(20)
    public Path rawWriteFsyncRename20Writers() throws Exception {
        return rawWrite();
    }

    private Path rawWrite() throws Exception {
        String name = "m" + counter.incrementAndGet();
        Path tmp = root.resolve("raw/tmp").resolve(name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Path done = root.resolve("raw/done");
        Path target = Files.move(tmp, done.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(done, StandardOpenOption.READ)) {
            d.force(true);
        }
        return target;
    }
}
