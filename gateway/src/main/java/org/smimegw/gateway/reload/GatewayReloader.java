package org.smimegw.gateway.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.app.Reloadable;
import org.smimegw.gateway.container.MailetContainer;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.policy.PolicySet;

/**
 * Re-reads {@code policy.yaml} and {@code mailetcontainer.xml} (and runs the other registered {@link Reloadable}s,
 * e.g. certificate sources) and swaps the new policy and container in together — or, when anything is refused,
 * keeps everything that runs and throws with {@code FILE:LINE: REASON}. One reload at a time; the triggers (admin
 * {@code POST /reload}, {@code smime-gateway reload}, SIGHUP) all end here. One log line per reload; counters
 * {@code reload.success} and {@code reload.failure}.
 */
public final class GatewayReloader implements Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayReloader.class);

    /** Builds a container from a file (the application's {@code MailetContainerLoader}). */
    @FunctionalInterface
    public interface ContainerFactory {
        MailetContainer load(Path file) throws ConfigFileException;
    }

    private final PolicyHolder policy;
    private final ContainerHolder containers;
    private final ContainerFactory factory;
    private final Path containerFile;
    private final Supplier<List<Reloadable>> others;
    private final MetricRegistry metrics;
    private final Counter success;
    private final Counter failure;

    /**
     * @param policy        the policy holder (its file is re-read)
     * @param containers    the container holder (the new container is swapped in, the old one destroyed when idle)
     * @param factory       loads {@code containerFile}
     * @param containerFile the mailetcontainer.xml
     * @param others        further reloadables (run after both files were read and checked, before the swap)
     * @param metrics       where {@code reload.success} / {@code reload.failure} are counted
     */
    public GatewayReloader(PolicyHolder policy, ContainerHolder containers, ContainerFactory factory,
                           Path containerFile, Supplier<List<Reloadable>> others, MetricRegistry metrics) {
        this.policy = policy;
        this.containers = containers;
        this.factory = factory;
        this.containerFile = containerFile;
        this.others = others;
        this.metrics = metrics;
        this.success = metrics.counter("reload.success");
        this.failure = metrics.counter("reload.failure");
    }

    /**
     * Reloads everything; on success returns a one-line summary, otherwise throws and nothing of this reload is
     * in force (other reloadables that already applied their part stay applied; each is all-or-nothing itself).
     */
    @Override
    public synchronized String reload() throws ReloadException {
        try {
            String summary = reloadAll();
            success.inc();
            LOG.info("reload done: {}", summary);
            return summary;
        } catch (ReloadException e) {
            failure.inc();
            LOG.warn("reload refused, the running configuration stays: {}", e.getMessage());
            throw e;
        } finally {
            // the series of mailets gone with the old container, or added by a refused one, end here
            MailetContainer.retainMetricsOf(containers.container(), metrics);
        }
    }

    /**
     * Reads and checks candidate files exactly as {@link #reload()} reads the real ones (the candidate container's
     * mailets are initialised, then destroyed again), and puts nothing in force.
     *
     * @param policyCandidate    a policy file to check instead of the policy in use, or null for that one
     * @param containerCandidate a mailetcontainer.xml to check instead of the one in use, or null for that one
     * @throws ConfigFileException FILE:LINE: REASON of the first problem
     */
    public synchronized void check(Path policyCandidate, Path containerCandidate) throws ConfigFileException {
        if (policyCandidate == null) {
            policy.read();
        } else {
            policy.read(policyCandidate);
        }
        factory.load(containerCandidate == null ? containerFile : containerCandidate).destroy();
    }

    /** The mailetcontainer.xml a reload reads. */
    public Path containerFile() {
        return containerFile;
    }

    /** The policy file a reload reads. */
    public Path policyFile() {
        return policy.file();
    }

    private String reloadAll() throws ReloadException {
        PolicySet newPolicy;
        MailetContainer newContainer;
        try {
            newPolicy = policy.read();
            newContainer = factory.load(containerFile);
        } catch (ConfigFileException e) {
            throw new ReloadException(e.getMessage(), e);
        }
        List<String> parts = new ArrayList<>();
        parts.add(PolicyHolder.describe(newPolicy));
        parts.add("pipeline " + containerFile + " (" + newContainer.processorNames().size() + " processor(s))");
        try {
            for (Reloadable other : others.get()) {
                parts.add(other.reload());
            }
        } catch (Exception e) {
            newContainer.destroy();
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ReloadException(message.replace('\n', ' '), e);
        }
        policy.swap(newPolicy);
        containers.swap(newContainer);
        return String.join("; ", parts);
    }
}
