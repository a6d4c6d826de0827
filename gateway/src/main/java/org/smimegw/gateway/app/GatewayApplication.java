package org.smimegw.gateway.app;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.gateway.admin.AdminServer;
import org.smimegw.gateway.admin.HealthReport;
import org.smimegw.gateway.admin.PrometheusMetrics;
import org.smimegw.gateway.config.GatewayConfig;

/**
 * Builds the whole gateway from a {@link GatewayConfig} and runs it. Start order: metrics (JMX) → embedded mailbox
 * (the next hop) → spool → delivery → pipeline → admin → SMTP front end, so that mail is accepted only once
 * everything behind the front end runs. Stop is the reverse: the front end stops accepting first, then the pipeline
 * and delivery finish the mail in hand; anything not finished stays in the spool and resumes on the next start.
 */
public final class GatewayApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayApplication.class);

    private final GatewayConfig config;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final List<Reloadable> reloadables = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    private EmbeddedMailbox embeddedMailbox;
    private AdminServer adminServer;
    private JmxReporter jmxReporter;
    private boolean running;

    public GatewayApplication(GatewayConfig config) {
        this(config, Clock.systemUTC(), new MetricRegistry());
    }

    public GatewayApplication(GatewayConfig config, Clock clock, MetricRegistry metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Registers something {@code POST /reload} re-reads (call before {@link #start()}). */
    public synchronized void addReloadable(Reloadable reloadable) {
        reloadables.add(reloadable);
    }

    /** Starts every component in order; on failure stops what was started and throws. */
    public synchronized void start() throws StartupException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        List<Component> components = components();
        for (Component component : components) {
            try {
                component.start();
                started.add(component);
                log.debug("started {}", component.name());
            } catch (Exception e) {
                stopStarted();
                throw new StartupException(component.name() + ": " + describe(e), e);
            }
        }
        running = true;
    }

    private List<Component> components() {
        List<Component> components = new ArrayList<>();
        if (config.admin().jmx()) {
            components.add(Component.of("jmx", () -> {
                jmxReporter = JmxReporter.forRegistry(metrics).inDomain(config.admin().jmxDomain())
                        .convertDurationsTo(TimeUnit.MILLISECONDS).convertRatesTo(TimeUnit.SECONDS).build();
                jmxReporter.start();
            }, () -> jmxReporter.close(), () -> jmxReporter != null));
        }
        if (config.embeddedMailbox().enabled()) {
            embeddedMailbox = new EmbeddedMailbox(config.embeddedMailbox());
            components.add(Component.of("embeddedMailbox", embeddedMailbox::start, embeddedMailbox::close,
                    embeddedMailbox::isRunning));
        }
        // TODO(wiring): spool, delivery, pipeline, smtp once their components are on main
        if (config.admin().enabled()) {
            adminServer = new AdminServer(new InetSocketAddress(config.admin().bind(), config.admin().port()),
                    new PrometheusMetrics(metrics), this::health, this::reload);
            components.add(Component.of("admin", adminServer::start, adminServer::close, () -> running));
        }
        return components;
    }

    /** Component states and queue sizes for {@code /health}. */
    public HealthReport health() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        List<Component> current;
        synchronized (this) {
            current = List.copyOf(started);
        }
        for (Component component : current) {
            states.put(component.name(), component.isRunning());
        }
        Map<String, Long> queues = new LinkedHashMap<>();
        return new HealthReport(states, queues);
    }

    private String reload() throws Exception {
        List<Reloadable> targets;
        synchronized (this) {
            targets = List.copyOf(reloadables);
        }
        if (targets.isEmpty()) {
            return Reloadable.nothing().reload();
        }
        List<String> summaries = new ArrayList<>();
        for (Reloadable reloadable : targets) {
            summaries.add(reloadable.reload());
        }
        return String.join("; ", summaries);
    }

    /** Stops gracefully, in reverse start order. Idempotent. */
    public synchronized void stop() {
        stopStarted();
        running = false;
    }

    private void stopStarted() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Component component = started.get(i);
            try {
                component.stop();
            } catch (RuntimeException e) {
                log.warn("stopping {} failed: {}", component.name(), e.toString());
            }
        }
        started.clear();
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return running;
    }

    public GatewayConfig config() {
        return config;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /** The admin endpoint's bound address, when enabled and started. */
    public synchronized Optional<InetSocketAddress> adminAddress() {
        return adminServer == null || !running ? Optional.empty() : Optional.of(adminServer.address());
    }

    /** The embedded mailbox, when enabled and started. */
    public synchronized Optional<EmbeddedMailbox> embeddedMailbox() {
        return embeddedMailbox == null || !running ? Optional.empty() : Optional.of(embeddedMailbox);
    }

    /** One line for the admin: where everything listens. */
    public synchronized String describeEndpoints() {
        List<String> parts = new ArrayList<>();
        adminAddress().ifPresent(a -> parts.add("admin http://" + hostPort(a)));
        embeddedMailbox().ifPresent(m -> parts.add("next hop embedded mailbox smtp " + hostPort(m.smtpAddress())
                + ", imap " + hostPort(m.imapAddress())));
        return String.join(", ", parts);
    }

    static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.net.BindException) {
            message = "cannot listen: " + message;
        }
        return message.replace('\n', ' ');
    }
}
