package org.smimegw.certstore.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the third-party S/MIME samples live: {@code testdata/corpus} in the repository (each folder with its
 * SOURCES.md). The build passes the folder as the system property {@code corpus.dir}; a test run from an IDE
 * without it finds the folder by walking up from the working directory.
 */
public final class TestCorpus {

    private TestCorpus() {
    }

    /** The corpus folder; fails with the reason when it cannot be found. */
    public static Path dir() {
        String configured = System.getProperty("corpus.dir");
        if (configured != null) {
            return requireDirectory(Path.of(configured));
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("testdata").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("testdata/corpus not found above " + Path.of("").toAbsolutePath()
                + " and no -Dcorpus.dir given");
    }

    /** A file of the corpus, by its path relative to the corpus folder. */
    public static Path file(String relative) {
        return dir().resolve(relative);
    }

    private static Path requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("corpus.dir " + dir + " is not a directory");
        }
        return dir;
    }
}
