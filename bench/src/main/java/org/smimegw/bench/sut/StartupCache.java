package org.smimegw.bench.sut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The directory where {@code bin/smime-gateway run} keeps its start-up cache ({@code SMIME_GATEWAY_CACHE}): an AOT
 * cache {@code run-KEY.aot} on Java ≥ 25, a dynamic CDS archive {@code run-KEY.jsa} on 21–24, written by the launcher's
 * first start when that gateway stops and used by the starts after it.
 */
public record StartupCache(Path directory) {

    /** True once a start has written the cache (the next start through the launcher uses it). */
    public boolean written() {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("run-\\d+\\.(aot|jsa)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
