package org.smimegw.gateway.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.file.AtomicFiles;
import org.smimegw.mailets.config.ConfigFileException;

/**
 * Edits {@code policy.yaml} and {@code mailetcontainer.xml} under a running gateway: a new text is first checked
 * exactly as a reload would read it ({@link GatewayReloader#check}, from a candidate file beside the real one, so
 * relative references resolve the same), then written over the file (atomically) and reloaded; when the reload is
 * refused the previous content is written back. The result is the plain file, which the admin's own tooling keeps
 * managing.
 */
public final class ConfigFileEditor {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileEditor.class);

    /** The files that can be edited. */
    public enum Kind {
        POLICY, PIPELINE;

        /** The name in the API and the audit log: {@code policy} or {@code pipeline}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final GatewayReloader reloader;

    public ConfigFileEditor(GatewayReloader reloader) {
        this.reloader = reloader;
    }

    /** The file of {@code kind}. */
    public Path file(Kind kind) {
        return kind == Kind.POLICY ? reloader.policyFile() : reloader.containerFile();
    }

    /** The file's text; empty when the (optional) policy file does not exist. */
    public String read(Kind kind) throws IOException {
        try {
            return Files.readString(file(kind), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /**
     * Checks {@code text} as the new content of the file, as a reload would.
     *
     * @throws ConfigFileException naming the real file with the line and reason of the first problem
     */
    public synchronized void validate(Kind kind, String text) throws ConfigFileException, IOException {
        Path file = file(kind);
        Path candidate = file.resolveSibling("." + file.getFileName() + ".candidate");
        AtomicFiles.write(candidate, text.getBytes(StandardCharsets.UTF_8));
        try {
            reloader.check(kind == Kind.POLICY ? candidate : null, kind == Kind.PIPELINE ? candidate : null);
        } catch (ConfigFileException e) {
            throw e.file().equals(candidate.toString())
                    ? new ConfigFileException(file.toString(), e.line().orElse(0), e.reason(), e) : e;
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /**
     * Checks {@code text}, writes it over the file and reloads the gateway. When the check or the reload is refused
     * the file keeps (or gets back) its previous content and nothing changes in the running gateway.
     *
     * @return the reload's one-line summary
     * @throws ConfigFileException the new text is refused (FILE:LINE: REASON); the file was not touched
     * @throws ReloadException     the reload was refused; the previous content was written back
     */
    public synchronized String apply(Kind kind, String text) throws ConfigFileException, ReloadException,
            IOException {
        validate(kind, text);
        Path file = file(kind);
        byte[] previous = Files.exists(file) ? Files.readAllBytes(file) : null;
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        try {
            String summary = reloader.reload();
            LOG.info("{} replaced and reloaded", file);
            return summary;
        } catch (ReloadException e) {
            if (previous == null) {
                Files.deleteIfExists(file);
            } else {
                AtomicFiles.write(file, previous);
            }
            LOG.warn("{}: the reload was refused, the previous content is back: {}", file, e.getMessage());
            throw new ReloadException(e.getMessage() + " (" + file + " is back to its previous content)", e);
        }
    }
}
