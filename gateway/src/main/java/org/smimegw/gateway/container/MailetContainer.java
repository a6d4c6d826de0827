package org.smimegw.gateway.container;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.codahale.metrics.MetricRegistry;

import jakarta.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded, immutable mailet pipeline: the processors of one mailetcontainer.xml with their initialised mailets
 * and matchers. Thread-safe as far as its mailets are (James mailets keep no per-mail state). Built by
 * {@link MailetContainerLoader}; a reload builds a new one and swaps it in, then {@link #destroy()}s the old.
 */
public final class MailetContainer {
    private static final Logger LOG = LoggerFactory.getLogger(MailetContainer.class);
    /** Processor changes of one mail (copies inherit their original's count) that are considered a loop. */
    static final int MAX_PROCESSOR_HOPS = 100;

    private final Path source;
    private final Map<String, MailetProcessor> processors;
    private final List<Mailet> mailets;
    private final List<Matcher> matchers;
    private final Set<String> metricNames;

    MailetContainer(Path source, Map<String, MailetProcessor> processors, List<Mailet> mailets,
                    List<Matcher> matchers, Set<String> metricNames) {
        this.source = source;
        this.processors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processors));
        this.mailets = List.copyOf(mailets);
        this.matchers = List.copyOf(matchers);
        this.metricNames = Set.copyOf(metricNames);
    }

    /** The names of this container's processor, mailet and matcher metrics. */
    Set<String> metricNames() {
        return metricNames;
    }

    /**
     * Removes from {@code registry} the processor, mailet and matcher metrics of every container but
     * {@code inForce} (null: of all), so a scrape after a reload shows no series of mailets no longer in force.
     */
    public static void retainMetricsOf(MailetContainer inForce, MetricRegistry registry) {
        PipelineMetrics.retainOnly(registry, inForce);
    }

    /** The file this container was loaded from. */
    public Path source() {
        return source;
    }

    public Set<String> processorNames() {
        return processors.keySet();
    }

    /** Every {@code <mailet>} of every processor, in file order. */
    public java.util.List<MailetOutline> outline() {
        return processors.values().stream().flatMap(p -> p.steps().stream()).map(MailetStep::outline).toList();
    }

    /** Number of {@code <mailet>} entries in a processor (0 when there is no such processor). */
    public int mailetCount(String processor) {
        MailetProcessor p = processors.get(processor);
        return p == null ? 0 : p.steps().size();
    }

    /**
     * Runs {@code mail} (and every copy split off it) from its state until all are GHOST. A state naming no
     * processor sends the mail to {@code error}. Throws when a mailet with {@code onMailetException="propagate"}
     * fails, when no error processor can take a failed mail, or when a mail loops between processors.
     */
    public void process(Mail mail) throws MessagingException {
        Deque<MailetProcessor.WorkItem> work = new ArrayDeque<>();
        String state = mail.getState() == null ? Mail.DEFAULT : mail.getState();
        mail.setState(state);
        work.add(new MailetProcessor.WorkItem(mail, state, 0, 0));
        while (!work.isEmpty()) {
            MailetProcessor.WorkItem item = work.poll();
            Mail current = item.mail();
            if (Mail.GHOST.equals(item.processor())) {
                continue;
            }
            MailetProcessor processor = processors.get(item.processor());
            if (processor == null) {
                if (Mail.ERROR.equals(item.processor()) || !processors.containsKey(Mail.ERROR)) {
                    throw new MessagingException("mail " + current.getName() + " is in state '" + item.processor()
                            + "' but there is no such processor in " + source);
                }
                LOG.error("mail {} is in state '{}', which names no processor; it moves to the error processor",
                        current.getName(), item.processor());
                current.setErrorMessage("no processor named '" + item.processor() + "'");
                current.setState(Mail.ERROR);
                work.addFirst(new MailetProcessor.WorkItem(current, Mail.ERROR, 0, item.hops() + 1));
                continue;
            }
            if (item.hops() > MAX_PROCESSOR_HOPS) {
                throw new MessagingException("mail " + current.getName() + " changed processors more than "
                        + MAX_PROCESSOR_HOPS + " times; the configuration routes it in a loop");
            }
            current.setState(processor.name());
            processor.run(current, item.start(), item.hops(), work);
        }
    }

    /** Calls destroy() on every mailet and matcher; errors are logged, not thrown. */
    public void destroy() {
        for (Mailet mailet : mailets) {
            try {
                mailet.destroy();
            } catch (RuntimeException e) {
                LOG.warn("destroy of mailet {} failed: {}", mailet.getClass().getName(), e.toString());
            }
        }
        for (Matcher matcher : matchers) {
            try {
                matcher.destroy();
            } catch (RuntimeException e) {
                LOG.warn("destroy of matcher {} failed: {}", matcher.getClass().getName(), e.toString());
            }
        }
    }
}
