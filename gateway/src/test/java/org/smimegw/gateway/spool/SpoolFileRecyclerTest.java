package org.smimegw.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFileRecyclerTest {
    @TempDir
    Path dir;

    private Object inode(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    @Test
    void aRecycledFileIsHandedOutAgainUnderTheNewNameWithTheSameInode() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        Path area = Files.createDirectories(dir.resolve("incoming"));
        SpoolFileRecycler recycler = new SpoolFileRecycler(pool, 8);
        Path old = Files.writeString(area.resolve("a.eml"), "old message", StandardCharsets.US_ASCII);
        Object inode = inode(old);

        assertThat(recycler.recycle(old)).isTrue();
        assertThat(old).doesNotExist();
        assertThat(recycler.size()).isEqualTo(1);

        Path fresh = pool.resolve("b.eml");
        assertThat(recycler.takeAs(fresh)).isTrue();
        assertThat(inode(fresh)).isEqualTo(inode);
        assertThat(recycler.size()).isZero();
        assertThat(recycler.takeAs(pool.resolve("c.eml"))).isFalse();
    }

    @Test
    void aFileWithAnotherHardLinkIsNotTaken() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        Path incoming = Files.createDirectories(dir.resolve("incoming"));
        Path outgoing = Files.createDirectories(dir.resolve("outgoing"));
        SpoolFileRecycler recycler = new SpoolFileRecycler(pool, 8);
        Path content = Files.writeString(incoming.resolve("a.eml"), "shared", StandardCharsets.US_ASCII);
        Files.createLink(outgoing.resolve("b.eml"), content);

        assertThat(recycler.recycle(content)).isFalse();
        assertThat(content).exists();
        assertThat(recycler.size()).isZero();
    }

    @Test
    void thePoolHoldsAtMostItsCapacity() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler recycler = new SpoolFileRecycler(pool, 2);
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve(i + ".eml"), "x");
        }

        assertThat(recycler.recycle(dir.resolve("0.eml"))).isTrue();
        assertThat(recycler.recycle(dir.resolve("1.eml"))).isTrue();
        assertThat(recycler.recycle(dir.resolve("2.eml"))).isFalse();
        assertThat(dir.resolve("2.eml")).exists();
        assertThat(recycler.size()).isEqualTo(2);
    }

    @Test
    void capacityZeroTurnsRecyclingOff() throws Exception {
        SpoolFileRecycler recycler = new SpoolFileRecycler(dir, 0);
        Path file = Files.writeString(dir.resolve("a.eml"), "x");

        assertThat(recycler.recycle(file)).isFalse();
        assertThat(file).exists();
    }

    @Test
    void aVanishedPoolFileIsSkipped() throws Exception {
        Path pool = Files.createDirectories(dir.resolve("tmp"));
        SpoolFileRecycler recycler = new SpoolFileRecycler(pool, 8);
        recycler.recycle(Files.writeString(dir.resolve("a.eml"), "a"));
        recycler.recycle(Files.writeString(dir.resolve("b.eml"), "b"));
        try (var files = Files.list(pool)) {
            Files.delete(files.sorted().findFirst().orElseThrow()); // an operator removed one
        }

        assertThat(recycler.takeAs(pool.resolve("c.eml"))).isTrue();
        assertThat(recycler.takeAs(pool.resolve("d.eml"))).isFalse();
    }
}
