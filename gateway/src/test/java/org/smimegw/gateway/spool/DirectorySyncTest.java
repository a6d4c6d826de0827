package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    @TempDir
    Path dir;

    /** An fsync that logs when it started and ended on a shared clock of events. */
    private static final class RecordingFsync implements DirectorySync.Fsync {
        final AtomicLong clock;
        final List<long[]> completed = new CopyOnWriteArrayList<>(); // {start, end}
        final AtomicInteger running = new AtomicInteger();
        volatile boolean overlapped;

        RecordingFsync(AtomicLong clock) {
            this.clock = clock;
        }

        @Override
        public void fsync(Path d) {
            long start = clock.incrementAndGet();
            if (running.incrementAndGet() > 1) {
                overlapped = true;
            }
            Thread.yield();
            running.decrementAndGet();
            completed.add(new long[] {start, clock.incrementAndGet()});
        }
    }

    @Test
    void everyCallerReturnsOnlyAfterAnFsyncThatStartedAfterItsCall() throws Exception {
        AtomicLong clock = new AtomicLong();
        RecordingFsync fsync = new RecordingFsync(clock);
        DirectorySync sync = new DirectorySync(fsync);
        int threads = 16;
        int callsPerThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<long[]>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<long[]> calls = new ArrayList<>();
                    for (int i = 0; i < callsPerThread; i++) {
                        long called = clock.incrementAndGet(); // "the rename happened"
                        sync.sync(dir);
                        calls.add(new long[] {called, clock.incrementAndGet()});
                    }
                    return calls;
                }));
            }
            List<long[]> calls = new ArrayList<>();
            for (Future<List<long[]>> f : futures) {
                calls.addAll(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(calls).hasSize(threads * callsPerThread);
            for (long[] call : calls) {
                assertThat(fsync.completed).as("an fsync inside (%d, %d)", call[0], call[1])
                        .anyMatch(s -> s[0] > call[0] && s[1] < call[1]);
            }
            assertThat(fsync.overlapped).as("fsyncs of one directory never overlap").isFalse();
            assertThat(fsync.completed.size()).isBetween(1, threads * callsPerThread);
            assertThat(sync.waiting(dir)).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void callersArrivingDuringAnFsyncShareTheNextOneAndAFailureIsRetriedForTheOthers() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        DirectorySync sync = new DirectorySync(d -> {
            if (calls.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("disk gone for a moment");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<?> leader = pool.submit(() -> {
                sync.sync(dir);
                return null;
            });
            firstStarted.await(60, TimeUnit.SECONDS);
            List<Future<?>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                queued.add(pool.submit(() -> {
                    sync.sync(dir);
                    return null;
                }));
            }
            while (sync.waiting(dir) < 5) {
                Thread.sleep(5); // the five are parked behind the running fsync
            }
            releaseFirst.countDown();
            assertThatThrownBy(() -> leader.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("disk gone for a moment");
            for (Future<?> f : queued) {
                f.get(60, TimeUnit.SECONDS);
            }
            // the five arrived while the first fsync ran: one more fsync served them all
            assertThat(calls.get()).isEqualTo(2);
            assertThat(sync.waiting(dir)).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void syncsARealDirectory() throws IOException {
        new DirectorySync().sync(dir);
        assertThatThrownBy(() -> new DirectorySync().sync(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
