package org.smimegw.mailets.policy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.mailets.config.ConfigFileException;

/**
 * The policy from one file, swapped atomically by {@link #reload()}: a file that fails to load is refused with its
 * {@link ConfigFileException} and the running policy stays. The hook for {@code reload} (admin endpoint, CLI, SIGHUP).
 */
public final class ReloadablePolicy implements PolicyProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadablePolicy.class);

    private final PolicyLoader loader;
    private final Path file;
    private final AtomicReference<PolicySet> current;

    /** Loads {@code file} now; a bad file fails the start with its file:line: reason. */
    public ReloadablePolicy(PolicyLoader loader, Path file) throws ConfigFileException {
        this.loader = loader;
        this.file = file;
        this.current = new AtomicReference<>(loader.load(file));
    }

    @Override
    public PolicySet current() {
        return current.get();
    }

    /** Reads the file again and swaps it in; on error keeps the running policy and throws. */
    public PolicySet reload() throws ConfigFileException {
        try {
            PolicySet fresh = loader.load(file);
            current.set(fresh);
            LOG.info("policy {} reloaded", file);
            return fresh;
        } catch (ConfigFileException e) {
            LOG.warn("policy reload refused, the running policy stays: {}", e.getMessage());
            throw e;
        }
    }
}
