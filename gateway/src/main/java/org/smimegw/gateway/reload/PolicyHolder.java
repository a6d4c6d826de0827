package org.smimegw.gateway.reload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.config.PolicySettings;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.policy.PolicyLoader;
import org.smimegw.mailets.policy.PolicyProvider;
import org.smimegw.mailets.policy.PolicySet;

/**
 * The policy in force now, swapped atomically on reload. Mailets and the SMTP RCPT check get it through
 * {@code @Inject PolicyProvider} (or {@code PolicyHolder}) and call {@link #current()} per mail, so a reload takes
 * effect for the next mail and a mail in progress sees one consistent policy.
 *
 * <p>Until {@link #read()} + {@link #swap} (done by the application at start) it holds the built-in defaults.
 */
public final class PolicyHolder implements PolicyProvider {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);

    private final PolicyLoader loader;
    private final PolicySettings settings;
    private final AtomicReference<PolicySet> current = new AtomicReference<>(PolicySet.defaults());

    public PolicyHolder(PolicyLoader loader, PolicySettings settings) {
        this.loader = loader;
        this.settings = settings;
    }

    @Override
    public PolicySet current() {
        return current.get();
    }

    /** The policy file this holder reads. */
    public Path file() {
        return settings.file();
    }

    /**
     * Reads and checks the policy file without applying it. A missing file that was not named explicitly gives the
     * built-in defaults.
     *
     * @throws ConfigFileException FILE:LINE: REASON when the file cannot be used
     */
    public PolicySet read() throws ConfigFileException {
        Path file = settings.file();
        if (settings.optional() && !Files.exists(file)) {
            LOG.debug("no policy file {}: built-in defaults", file);
            return PolicySet.defaults();
        }
        return loader.load(file);
    }

    /**
     * Reads and checks another policy file (a candidate for this holder's file) as {@link #read()} reads the real one,
     * without applying it.
     */
    public PolicySet read(Path candidate) throws ConfigFileException {
        return loader.load(candidate);
    }

    /** Puts {@code policy} in force (atomically); returns the one it replaced. */
    public PolicySet swap(PolicySet policy) {
        return current.getAndSet(policy);
    }

    /** One line for logs and the reload reply, e.g. {@code policy conf/policy.yaml (2 domains, 3 users)}. */
    public static String describe(PolicySet policy) {
        return "policy " + policy.file() + " (" + policy.domainEntries() + " domain(s), " + policy.userEntries()
                + " user(s))";
    }
}
