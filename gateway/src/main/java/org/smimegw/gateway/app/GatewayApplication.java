package org.smimegw.gateway.app;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.certstore.CertificateStore;
import org.smimegw.certstore.CertificateValidator;
import org.smimegw.gateway.admin.AdminServer;
import org.smimegw.gateway.admin.HealthReport;
import org.smimegw.gateway.admin.PrometheusMetrics;
import org.smimegw.gateway.admin.ReadinessCheck;
import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.container.GatewayMailetContext;
import org.smimegw.gateway.container.MailetContainerLoader;
import org.smimegw.gateway.container.PipelineRunner;
import org.smimegw.gateway.reload.ContainerHolder;
import org.smimegw.gateway.reload.GatewayReloader;
import org.smimegw.gateway.reload.PolicyHolder;
import org.smimegw.gateway.container.ServiceRegistry;
import org.smimegw.gateway.delivery.DeliveryConfig;
import org.smimegw.gateway.delivery.DeliveryQueue;
import org.smimegw.gateway.delivery.DeliveryService;
import org.smimegw.gateway.delivery.DsnFactory;
import org.smimegw.gateway.delivery.DsnMailBouncer;
import org.smimegw.gateway.delivery.SpoolDeliveryQueue;
import org.smimegw.gateway.policy.GatewayPolicy;
import org.smimegw.gateway.policy.SpoolPolicyActions;
import org.smimegw.gateway.smtp.RecipientPolicyCheck;
import org.smimegw.gateway.smtp.SmtpConfig;
import org.smimegw.gateway.smtp.InFlowGate;
import org.smimegw.gateway.smtp.SmtpFrontEnd;
import org.smimegw.gateway.spool.FileSpool;
import org.smimegw.gateway.spool.Spool;
import org.smimegw.gateway.spool.SpoolArea;
import org.smimegw.gateway.spool.SpoolEntry;
import org.smimegw.mailets.crypto.PrimitiveProviders;
import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.mime.MimeLimits;
import org.smimegw.mailets.policy.PolicyCheck;
import org.smimegw.mailets.policy.PolicyLoader;
import org.smimegw.mailets.policy.PolicyProvider;
import org.smimegw.mailets.policy.enforce.PolicyActions;

/**
 * Builds the whole gateway from a {@link GatewayConfig} and runs it; it only wires, the work is in the components.
 *
 * <p>{@link #start()} first builds what can be refused (spool directories, the mailet container from
 * {@code mailetcontainer.xml}), so a bad pipeline stops the start before anything listens. Then it starts, in
 * order: JMX → embedded mailbox (the next hop) → delivery → pipeline → admin endpoint → SMTP front end, so mail
 * is accepted only once everything behind the front end runs. {@link #stop()} is the reverse: the front end stops
 * accepting first, the pipeline and delivery finish the mail in hand (what is not finished stays in the spool and
 * resumes on the next start), then the rest.
 */
public final class GatewayApplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayApplication.class);

    private final GatewayConfig config;
    private final Clock clock;
    private final MetricRegistry metrics;
    private final List<Reloadable> reloadables = new ArrayList<>();
    private final List<RecipientPolicyCheck> recipientChecks = new ArrayList<>();
    private final Map<Class<?>, Object> extraServices = new LinkedHashMap<>();
    private final List<Component> started = new ArrayList<>();
    private final ContainerHolder containers = new ContainerHolder();
    private final PolicyHolder policy;

    private FileSpool spool;
    private SpoolAdmin spoolAdmin;
    private EmbeddedMailbox embeddedMailbox;
    private volatile DeliveryService delivery;
    private PipelineRunner pipeline;
    private SmtpFrontEnd smtp;
    private AdminServer adminServer;
    private ConsoleFactory.Console console;
    private JmxReporter jmxReporter;
    private GatewayReloader reloader;
    private CertificateServices certificates;
    private Callable<CertStoreConfig> certstoreOnReload;
    private boolean running;

    public GatewayApplication(GatewayConfig config) {
        this(config, Clock.systemUTC(), new MetricRegistry());
    }

    public GatewayApplication(GatewayConfig config, Clock clock, MetricRegistry metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.policy = new PolicyHolder(new PolicyLoader(), config.policy());
        this.certstoreOnReload = config::certstore;
    }

    /**
     * Where a reload reads the {@code certstore:} settings again, e.g. from gateway.yaml (the {@code run} command
     * does that). A reload applies {@code certstore.ldap} from them: the same settings keep the directory's cache,
     * changed ones give a new connection and cache. Without this the settings the gateway started with are used.
     */
    public synchronized void readCertstoreOnReload(Callable<CertStoreConfig> settings) {
        certstoreOnReload = settings;
    }

    /** Registers something {@code POST /reload} re-reads (call before {@link #start()}). */
    public synchronized void addReloadable(Reloadable reloadable) {
        reloadables.add(reloadable);
    }

    /** Adds a recipient check the SMTP front end runs at RCPT after relay control (call before start). */
    public synchronized void addRecipientCheck(RecipientPolicyCheck check) {
        recipientChecks.add(check);
    }

    /**
     * Offers a service to mailets' {@code @Inject} constructors (before start). Always offered: the
     * {@code CertificateStore} (the {@link CertificateServices} of {@code certstore:}: file store, LDAP, PKCS#11; an
     * instance registered here under {@code CertificateStore.class} replaces it), the {@code CertificateValidator},
     * {@code Spool}, {@code MimeLimits}, {@code DeliveryQueue}, {@code Clock}, {@code GatewayConfig}, {@code MetricRegistry},
     * {@code MailetContext}.
     */
    public synchronized <T> void addService(Class<T> type, T instance) {
        extraServices.put(type, instance);
    }

    /** Builds and starts every component in order; on failure stops what was started and throws. */
    public synchronized void start() throws StartupException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        List<Component> components;
        try {
            components = build();
        } catch (StartupException e) {
            destroyContainer();
            closeCertificates();
            throw e;
        }
        for (Component component : components) {
            try {
                component.start();
                started.add(component);
                log.debug("started {}", component.name());
            } catch (Exception e) {
                stopStarted();
                destroyContainer();
                closeCertificates();
                String reason = describe(e);
                throw new StartupException(reason.startsWith(component.name() + ":") ? reason
                        : component.name() + ": " + reason, e);
            }
        }
        running = true;
        log.info("gateway started: {}", describeEndpoints());
    }

    private List<Component> build() throws StartupException {
        Path stateDir = config.stateDir();
        try {
            Files.createDirectories(stateDir);
            spool = new FileSpool(stateDir.resolve("spool"), clock, metrics, config.spool());
        } catch (Exception e) {
            throw new StartupException("spool: cannot open " + stateDir.resolve("spool") + ": " + describe(e), e);
        }
        if (config.embeddedMailbox().enabled()) {
            embeddedMailbox = new EmbeddedMailbox(config.embeddedMailbox());
        }
        AtomicBoolean deliveryRunning = new AtomicBoolean();
        // delivery's configuration is completed when the embedded mailbox has bound its port (see start order)
        AtomicReference<PipelineRunner> runner = new AtomicReference<>();
        DsnFactory dsnFactory = new DsnFactory(clock);
        String reportingMta = config.reportingMta();
        // with delivery.immediate, RemoteDelivery first tries the running delivery service's idle connections
        SpoolDeliveryQueue deliveryQueue = new SpoolDeliveryQueue(spool, clock, entry -> {
            DeliveryService service = delivery;
            if (service != null) {
                service.submit(entry);
            }
        }, () -> config.delivery().immediate() && deliveryRunning.get() ? delivery : null);
        MailAddress postmaster;
        try {
            postmaster = new MailAddress(config.postmaster());
        } catch (Exception e) {
            throw new StartupException("postmaster: '" + config.postmaster() + "' is not an e-mail address", e);
        }
        java.util.function.Consumer<SpoolEntry> toPipeline = entry -> {
            PipelineRunner r = runner.get();
            if (r != null) {
                r.accept(entry);
            }
        };
        Set<Domain> domains = config.internalDomains().stream().map(Domain::of).collect(Collectors.toSet());
        DsnMailBouncer bouncer = new DsnMailBouncer(spool, dsnFactory, reportingMta, clock, toPipeline);
        GatewayMailetContext context = new GatewayMailetContext(domains, postmaster, spool, bouncer, toPipeline, clock);
        spoolAdmin = new SpoolAdmin(spool, bouncer, clock);
        try {
            // file store + LDAP (cached) + PKCS#11 token as one CompositeCertificateStore; closed on stop
            certificates = CertificateServices.open(config.certstore(), config.baseDirectory(), System::getenv, clock);
        } catch (RuntimeException e) {
            throw new StartupException("certstore: " + describe(e), e);
        }
        try {
            policy.swap(policy.read());
        } catch (ConfigFileException e) {
            throw new StartupException("policy: " + e.getMessage(), e);
        }
        ServiceRegistry services = ServiceRegistry.empty()
                .with(CertificateStore.class, certificates.store())
                .with(CertificateValidator.class, certificates.validator())
                .with(PolicyHolder.class, policy)
                .with(PolicyProvider.class, policy)
                .with(Spool.class, spool)
                .with(MimeLimits.class, config.pipeline().mimeLimits())
                .with(DeliveryQueue.class, deliveryQueue)
                .with(Clock.class, clock)
                .with(PrimitiveProviders.class, cryptoProviders(config))
                .with(GatewayConfig.class, config);
        for (Map.Entry<Class<?>, Object> service : extraServices.entrySet()) {
            services = with(services, service.getKey(), service.getValue()); // replaces a default of that type
        }
        services = withPolicy(services, dsnFactory, reportingMta, toPipeline);
        MailetContainerLoader containerLoader = new MailetContainerLoader(context, services, metrics);
        try {
            containers.swap(containerLoader.load(config.pipeline().config()));
        } catch (ConfigFileException e) {
            throw new StartupException(e.getMessage(), e);
        }
        reloader = new GatewayReloader(policy, containers, containerLoader::load, config.pipeline().config(),
                this::extraReloadables, metrics);
        pipeline = new PipelineRunner(config.pipeline(), spool, containers, metrics, clock,
                stateDir.resolve("scratch"));
        runner.set(pipeline);

        List<Component> components = new ArrayList<>();
        if (config.admin().jmx()) {
            components.add(Component.of("jmx", () -> {
                jmxReporter = JmxReporter.forRegistry(metrics).inDomain(config.admin().jmxDomain())
                        .convertDurationsTo(TimeUnit.MILLISECONDS).convertRatesTo(TimeUnit.SECONDS).build();
                jmxReporter.start();
            }, () -> jmxReporter.close(), () -> jmxReporter != null));
        }
        if (embeddedMailbox != null) {
            components.add(Component.of("embeddedMailbox", embeddedMailbox::start, embeddedMailbox::close,
                    embeddedMailbox::isRunning));
        }
        components.add(Component.of("delivery", () -> {
            delivery = new DeliveryService(deliveryConfig(reportingMta), spool, dsnFactory, metrics, clock,
                    System::getenv, toPipeline);
            delivery.start();
            deliveryRunning.set(true);
        }, () -> {
            deliveryRunning.set(false);
            delivery.close();
        }, deliveryRunning::get));
        AtomicBoolean pipelineRunning = new AtomicBoolean();
        components.add(Component.of("pipeline", () -> {
            pipeline.start();
            pipelineRunning.set(true);
        }, () -> {
            pipelineRunning.set(false);
            pipeline.close();
            destroyContainer();
        }, pipelineRunning::get));
        if (config.admin().enabled()) {
            CertificateServices certs = certificates;
            ReadinessCheck readiness = new ReadinessCheck(this::health,
                    () -> Optional.ofNullable(delivery).map(DeliveryService::nextHops),
                    Duration.ofMinutes(config.admin().ready().deliveryFailureMinutes()),
                    spool,
                    certs::directoryUnreachable);
            adminServer = new AdminServer(new InetSocketAddress(config.admin().bind(), config.admin().port()),
                    new PrometheusMetrics(metrics, certs::keyCertificates, () -> certs.trust().roots(),
                            clock), this::health, readiness::check, this::reload);
            AtomicBoolean adminRunning = new AtomicBoolean();
            components.add(Component.of("admin", () -> {
                adminServer.start();
                adminRunning.set(true);
            }, () -> {
                adminRunning.set(false);
                adminServer.close();
            }, adminRunning::get));
        }
        if (config.console().enabled()) {
            console = console();
            components.add(console);
        }
        InFlowGate inFlow = new InFlowGate(pipeline::pendingCount, config.pipeline().inFlowLimit(),
                Duration.ofMillis(config.pipeline().inFlowDelayMillis()), metrics);
        smtp = new SmtpFrontEnd(smtpConfig(), stateDir, spool, clock, metrics, toPipeline, recipientChecks, inFlow,
                config.pipeline().mimeLimits().maxHeaderBytes());
        AtomicBoolean smtpRunning = new AtomicBoolean();
        components.add(Component.of("smtp", () -> {
            smtp.start();
            smtpRunning.set(true);
        }, () -> {
            smtpRunning.set(false);
            smtp.stop();
        }, smtpRunning::get));
        return components;
    }

    /** The web console, from the console module on the class path ({@link ConsoleFactory}). */
    private ConsoleFactory.Console console() throws StartupException {
        ConsoleFactory factory = java.util.ServiceLoader.load(ConsoleFactory.class).findFirst()
                .orElseThrow(() -> new StartupException("console: console.enabled is true, but the console module "
                        + "is not on the class path", null));
        try {
            return factory.create(new GatewayServices(config, clock, metrics, spoolAdmin, certificates, policy, containers,
                    reloader));
        } catch (Exception e) {
            throw new StartupException("console: " + describe(e), e);
        }
    }

    /**
     * The S/MIME policy enforcement: offers {@code PolicyCheck}, {@code PolicyProvider} and {@code PolicyActions} to
     * the enforcement mailets (an instance registered with {@link #addService} wins: a {@code PolicyProvider}
     * registered there is the policy enforced, otherwise the reloadable {@link PolicyHolder}), and registers the RCPT
     * check when {@code policy.rcptCheck} is on.
     */
    private ServiceRegistry withPolicy(ServiceRegistry services, DsnFactory dsnFactory, String reportingMta,
                                       java.util.function.Consumer<SpoolEntry> toPipeline) throws StartupException {
        // the policy in force: the reload holder (loaded from policy.file in build()), unless addService offered one
        PolicyProvider provider = services.find(PolicyProvider.class).orElse(policy);
        GatewayPolicy gatewayPolicy = GatewayPolicy.create(provider, config.policy().rcptCheck(),
                services.find(CertificateStore.class).orElseThrow(),
                services.find(CertificateValidator.class).orElseThrow(), config.internalDomains(), clock, metrics);
        gatewayPolicy.recipientCheck().ifPresent(recipientChecks::add);
        ServiceRegistry result = services;
        if (result.find(PolicyCheck.class).isEmpty()) {
            result = result.with(PolicyCheck.class, gatewayPolicy.check());
        }
        if (result.find(PolicyProvider.class).isEmpty()) {
            result = result.with(PolicyProvider.class, gatewayPolicy.provider());
        }
        if (result.find(PolicyActions.class).isEmpty()) {
            result = result.with(PolicyActions.class,
                    new SpoolPolicyActions(spool, dsnFactory, reportingMta, clock, toPipeline));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <T> ServiceRegistry with(ServiceRegistry services, Class<T> type, Object instance) {
        return services.with(type, (T) instance);
    }

    /** The smtp section, with the top-level host name when it names none. */
    private SmtpConfig smtpConfig() {
        SmtpConfig s = config.smtp();
        if (s.hostname() != null) {
            return s;
        }
        return s.withHostname(config.hostname());
    }

    /**
     * The delivery section, completed: without a smarthost and with the embedded mailbox enabled, the smarthost is
     * the embedded mailbox (its port is known once it listens); the EHLO name defaults to the gateway's host name.
     */
    private DeliveryConfig deliveryConfig(String heloName) {
        DeliveryConfig d = config.delivery();
        DeliveryConfig.Route smarthost = d.smarthost();
        if (smarthost == null && embeddedMailbox != null) {
            InetSocketAddress next = embeddedMailbox.smtpAddress();
            smarthost = DeliveryConfig.Route.of(next.getHostString(), next.getPort(), DeliveryConfig.StartTls.OFF);
        }
        return d.withSmarthost(smarthost, heloName);
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
        if (current.isEmpty()) {
            states.put("gateway", false);
        }
        Map<String, Long> queues = new LinkedHashMap<>();
        for (SpoolArea area : SpoolArea.values()) {
            gaugeValue("spool." + area.directoryName() + ".size")
                    .ifPresent(size -> queues.put(area.directoryName(), size));
        }
        gaugeValue("delivery.queue.size").ifPresent(size -> queues.put("delivery", size));
        gaugeValue("pipeline.queued").ifPresent(size -> queues.put("pipeline", size));
        return new HealthReport(states, queues);
    }

    private Optional<Long> gaugeValue(String name) {
        Gauge<?> gauge = metrics.getGauges().get(name);
        if (gauge == null || !(gauge.getValue() instanceof Number n)) {
            return Optional.empty();
        }
        return Optional.of(n.longValue());
    }

    /** What a reload re-reads besides policy.yaml and mailetcontainer.xml: the certificate sources, then the rest. */
    private synchronized List<Reloadable> extraReloadables() {
        List<Reloadable> all = new ArrayList<>();
        CertificateServices current = certificates;
        Callable<CertStoreConfig> settings = certstoreOnReload;
        if (current != null) {
            all.add(() -> current.reload(settings.call()));
        }
        all.addAll(reloadables);
        return all;
    }

    /**
     * Re-reads policy.yaml and mailetcontainer.xml (and the registered reloadables) and swaps them in, or keeps
     * the running configuration and throws with FILE:LINE: REASON. What {@code POST /reload}, the {@code reload}
     * command and SIGHUP do.
     */
    public String reload() throws Exception {
        GatewayReloader current;
        synchronized (this) {
            current = running ? reloader : null;
        }
        if (current == null) {
            throw new IllegalStateException("the gateway is not running");
        }
        return current.reload();
    }

    /** The policy in force (also offered to mailets as {@code PolicyHolder} and {@code PolicyProvider}). */
    public PolicyHolder policy() {
        return policy;
    }

    /** Stops gracefully, in reverse start order. Idempotent. */
    public synchronized void stop() {
        boolean wasStarted = !started.isEmpty();
        if (wasStarted) {
            log.info("gateway stopping");
        }
        stopStarted();
        destroyContainer();
        closeCertificates();
        running = false;
        if (wasStarted) {
            log.info("gateway stopped");
        }
    }

    /** Closes the directory connections and the token (after the pipeline stopped using them). */
    private void closeCertificates() {
        CertificateServices current = certificates;
        certificates = null;
        if (current != null) {
            current.close();
        }
    }

    /** The certificate store and validator built from {@code certstore:} (after start; empty before/after). */
    public synchronized Optional<CertificateServices> certificates() {
        return Optional.ofNullable(certificates);
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

    private void destroyContainer() {
        containers.close();
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

    /** The spool (after start). */
    public synchronized Spool spool() {
        return spool;
    }

    /** Where the SMTP front end listens (the real port when 0 was configured). */
    public synchronized InetSocketAddress smtpAddress() {
        if (!running) {
            throw new IllegalStateException("not running");
        }
        return new InetSocketAddress(config.smtp().bind(), smtp.port());
    }

    /** The admin endpoint's bound address, when enabled and running. */
    public synchronized Optional<InetSocketAddress> adminAddress() {
        return adminServer == null || !running ? Optional.empty() : Optional.of(adminServer.address());
    }

    /** The embedded mailbox, when enabled and running. */
    public synchronized Optional<EmbeddedMailbox> embeddedMailbox() {
        return embeddedMailbox == null || !running ? Optional.empty() : Optional.of(embeddedMailbox);
    }

    /** Where the web console is served, when it is enabled and running. */
    public synchronized Optional<java.net.URI> consoleUri() {
        return running && console != null ? Optional.of(console.uri()) : Optional.empty();
    }

    /** One line for the admin: where everything listens. */
    public synchronized String describeEndpoints() {
        List<String> parts = new ArrayList<>();
        if (running) {
            parts.add("smtp " + hostPort(smtpAddress()));
        }
        adminAddress().ifPresent(a -> parts.add("admin http://" + hostPort(a)));
        consoleUri().ifPresent(uri -> parts.add("console " + uri));
        Optional<EmbeddedMailbox> mailbox = embeddedMailbox();
        if (mailbox.isPresent()) {
            parts.add("next hop embedded mailbox smtp " + hostPort(mailbox.get().smtpAddress())
                    + ", imap " + hostPort(mailbox.get().imapAddress()));
        } else if (config.delivery().smarthost() != null) {
            parts.add("smarthost " + config.delivery().smarthost().hostAndPort());
        } else if (config.delivery().mx().enabled()) {
            List<String> dns = config.delivery().mx().dnsServers();
            parts.add("next hop MX hosts (DNS " + (dns.isEmpty() ? "of the system" : String.join(" ", dns) + " port "
                    + config.delivery().mx().dnsPort()) + ")");
        }
        parts.add("spool " + config.stateDir().resolve("spool"));
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

    /** The JCA providers per primitive as crypto.providers says, logged once: which one computes what, and why. */
    private static PrimitiveProviders cryptoProviders(GatewayConfig config) {
        PrimitiveProviders providers = PrimitiveProviders.select(config.crypto().providers());
        log.info("crypto.providers: {} ({}): {}", providers.choice().configName(), providers.correttoStatus(),
                String.join(", ", providers.describe()));
        return providers;
    }

}
