package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFileRecyclerTest {
    @TempDir
    Path dir;

    private final Set<Object> open = ConcurrentHashMap.newKeySet();

    private SpoolFileRecycler recycler(Path pool, int maxFiles, long maxBytes) {
        return new SpoolFileRecycler(pool, maxFiles, maxBytes, open::contains);
    }

    private static Object inode(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    @Test
    void aRecycledFileIsHandedOutAgainUnderTheNewNameWithTheSameInode() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        Path area = Files.createDirectories(dir.resolve("incoming"));
        SpoolFileRecycler recycler = recycler(pool, 8, 1 << 20);
        Path old = Files.writeString(area.resolve("a.eml"), "old message", StandardCharsets.US_ASCII);
        Object inode = inode(old);

        assertThat(recycler.remove(old)).isTrue();
        assertThat(old).doesNotExist();
        assertThat(recycler.size()).isEqualTo(1);
        assertThat(recycler.bytes()).isEqualTo(11);

        Path fresh = pool.resolve("b.eml");
        assertThat(recycler.takeAs(fresh)).isTrue();
        assertThat(inode(fresh)).isEqualTo(inode);
        assertThat(recycler.size()).isZero();
        assertThat(recycler.bytes()).isZero();
        assertThat(recycler.takeAs(pool.resolve("c.eml"))).isFalse();
    }

    @Test
    void aFileWithAnotherHardLinkIsRemovedFromItsPlaceButNotReused() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        Path outgoing = Files.createDirectories(dir.resolve("outgoing"));
        SpoolFileRecycler recycler = recycler(pool, 8, 1 << 20);
        Path content = Files.writeString(incoming.resolve("a.eml"), "shared", StandardCharsets.US_ASCII);
        Files.createLink(outgoing.resolve("b.eml"), content);

        assertThat(recycler.remove(content)).isTrue();
        assertThat(content).doesNotExist();
        assertThat(recycler.size()).isZero();
        assertThat(Files.readString(outgoing.resolve("b.eml"))).isEqualTo("shared");
        try (var files = Files.list(pool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFileAReaderHasOpenIsNeverReusedAndTheReaderKeepsReadingIt() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler recycler = recycler(pool, 8, 1 << 20);
        Path content = Files.writeString(dir.resolve("a.eml"), "the reader's message", StandardCharsets.US_ASCII);
        open.add(inode(content));
        try (InputStream reader = Files.newInputStream(content)) {
            assertThat(recycler.remove(content)).isTrue();
            assertThat(recycler.size()).isZero();
            assertThat(recycler.takeAs(pool.resolve("new.eml"))).isFalse();
            assertThat(new String(reader.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("the reader's message");
        }
    }

    @Test
    void thePoolHoldsAtMostItsFilesAndItsBytes() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler byCount = recycler(pool, 2, 1 << 20);
        for (int i = 0; i < 3; i++) {
            assertThat(byCount.remove(Files.writeString(dir.resolve(i + ".eml"), "x"))).isTrue();
            assertThat(dir.resolve(i + ".eml")).doesNotExist();
        }
        assertThat(byCount.size()).isEqualTo(2);

        SpoolFileRecycler byBytes = recycler(pool, 100, 1000);
        assertThat(byBytes.remove(Files.writeString(dir.resolve("a.eml"), "a".repeat(600)))).isTrue();
        assertThat(byBytes.remove(Files.writeString(dir.resolve("b.eml"), "b".repeat(600)))).isTrue();
        assertThat(byBytes.size()).isEqualTo(1);
        assertThat(byBytes.bytes()).isEqualTo(600);
    }

    @Test
    void drainGivesEveryFileBack() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler recycler = recycler(pool, 8, 1 << 20);
        recycler.remove(Files.writeString(dir.resolve("a.eml"), "a".repeat(100)));
        recycler.remove(Files.writeString(dir.resolve("b.eml"), "b".repeat(50)));

        assertThat(recycler.drain()).isEqualTo(150);
        assertThat(recycler.size()).isZero();
        assertThat(recycler.bytes()).isZero();
        try (var files = Files.list(pool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void noFilesOrNoBytesTurnRecyclingOff() throws Exception {
        for (SpoolFileRecycler off : new SpoolFileRecycler[] {recycler(dir, 0, 1000), recycler(dir, 8, 0)}) {
            Path file = Files.writeString(dir.resolve("a.eml"), "x");
            assertThat(off.enabled()).isFalse();
            assertThat(off.remove(file)).isTrue();
            assertThat(file).doesNotExist();
            assertThat(off.remove(file)).isFalse();
        }
    }

    @Test
    void aVanishedPoolFileIsSkipped() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler recycler = recycler(pool, 8, 1 << 20);
        recycler.remove(Files.writeString(dir.resolve("a.eml"), "a"));
        recycler.remove(Files.writeString(dir.resolve("b.eml"), "b"));
        try (var files = Files.list(pool)) {
            Files.delete(files.sorted().findFirst().orElseThrow()); // an operator removed one
        }

        assertThat(recycler.takeAs(pool.resolve("c.eml"))).isTrue();
        assertThat(recycler.takeAs(pool.resolve("d.eml"))).isFalse();
    }
}
