package org.smimegw.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.smimegw.certstore.CertStoreConfig;
import org.smimegw.gateway.container.PipelineConfig;
import org.smimegw.gateway.delivery.DeliveryConfig;
import org.smimegw.gateway.smtp.SmtpConfig;
import org.smimegw.gateway.spool.SpoolSettings;

/**
 * The whole gateway configuration, read from {@code conf/gateway.yaml} by {@link ConfigLoader}. Every section may
 * be left out; it then takes its defaults.
 *
 * @param hostname        the gateway's own host name (SMTP greeting, Received headers, DSNs); default the
 *                        machine's host name
 * @param postmaster      the postmaster address (mailet context, sender of notifications); default
 *                        {@code postmaster@} the first internal domain, else the host name
 * @param internalDomains the domains whose users are "ours" ({@code MailetContext.isLocalServer}); default none
 * @param stateDir        directory for the spool and other state (default {@code var} beside the configuration
 *                        file)
 * @param spool           {@code spool:} section: free-space reserve and reuse of spool files ({@link SpoolSettings})
 * @param smtp            {@code smtp:} section (SMTP front end)
 * @param pipeline        {@code pipeline:} section (mailet container)
 * @param delivery        {@code delivery:} section (delivery to the next hop); without a smarthost and with the
 *                        embedded mailbox enabled, the application delivers to the embedded mailbox
 * @param admin           {@code admin:} section
 * @param embeddedMailbox {@code embeddedMailbox:} section
 * @param certstore       {@code certstore:} section (the certificate store's {@link CertStoreConfig})
 * @param policy          {@code policy:} section: where the S/MIME policy file is ({@link PolicySettings})
 * @param baseDirectory   what relative paths in the file are resolved against: the directory of the configuration
 *                        file ({@link ConfigPaths}; the working directory for the built-in defaults when there is
 *                        no file); the certificate store resolves its default paths against it
 * @param logging         {@code logging:} section: the log line format
 * @param crypto          {@code crypto:} section: which JCA providers compute the S/MIME primitives
 * @param console         {@code console:} section (web console and users' page; off by default)
 */
public record GatewayConfig(String hostname, String postmaster, List<String> internalDomains, Path stateDir,
                            SpoolSettings spool, SmtpConfig smtp, PipelineConfig pipeline, DeliveryConfig delivery, AdminConfig admin,
                            EmbeddedMailboxConfig embeddedMailbox, CertStoreConfig certstore, PolicySettings policy,
                            Path baseDirectory, LoggingConfig logging, CryptoConfig crypto,
                            ConsoleConfig console) {

    public static final String DEFAULT_STATE_DIR = "var";

    public GatewayConfig {
        internalDomains = internalDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    @JsonCreator
    static GatewayConfig of(@JsonProperty("hostname") String hostname,
                            @JsonProperty("postmaster") String postmaster,
                            @JsonProperty("internalDomains") List<String> internalDomains,
                            @JsonProperty("stateDir") Path stateDir,
                            @JsonProperty("spool") SpoolSection spool,
                            @JsonProperty("smtp") SmtpConfig smtp,
                            @JsonProperty("pipeline") PipelineSection pipeline,
                            @JsonProperty("delivery") DeliveryConfig delivery,
                            @JsonProperty("admin") AdminConfig admin,
                            @JsonProperty("embeddedMailbox") EmbeddedMailboxConfig embeddedMailbox,
                            @JsonProperty("certstore") CertStoreConfig certstore,
                            @JsonProperty("policy") PolicySettings policy,
                            @JsonProperty("logging") LoggingConfig logging,
                            @JsonProperty("crypto") CryptoConfig crypto,
                            @JsonProperty("console") ConsoleConfig console) {
        String host = hostname == null ? HostNames.localHostName() : hostname;
        List<String> domains = internalDomains == null ? List.of() : internalDomains;
        return new GatewayConfig(host,
                postmaster != null ? postmaster
                        : "postmaster@" + (domains.isEmpty() ? host : domains.get(0).toLowerCase(Locale.ROOT)),
                domains,
                stateDir == null ? Path.of(DEFAULT_STATE_DIR) : stateDir,
                (spool == null ? SpoolSection.of(null, null) : spool).toSettings(
                        (smtp == null ? SmtpConfig.defaults() : smtp).maxMessageSize()),
                smtp == null ? SmtpConfig.defaults() : smtp,
                pipeline == null ? PipelineConfig.defaults() : pipeline.toPipelineConfig(),
                delivery == null ? new DeliveryConfig(null, null, null, null, null, null, null) : delivery,
                admin == null ? AdminConfig.defaults() : admin,
                embeddedMailbox == null ? EmbeddedMailboxConfig.defaults() : embeddedMailbox,
                certstore == null ? CertStoreConfig.defaults() : certstore,
                policy == null ? PolicySettings.defaults() : policy,
                Path.of("").toAbsolutePath(), logging == null ? LoggingConfig.defaults() : logging,
                crypto == null ? CryptoConfig.defaults() : crypto, console == null ? ConsoleConfig.defaults() : console);
    }

    /** Every section at its defaults (what an empty file gives). */
    public static GatewayConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * This configuration with its default relative paths (state directory, mailet container file) resolved
     * against {@code base}; paths written in the file are resolved while reading it.
     */
    public GatewayConfig resolvedAgainst(Path base) {
        PipelineConfig p = pipeline;
        return new GatewayConfig(hostname, postmaster, internalDomains, base.resolve(stateDir).normalize(), spool, smtp,
                new PipelineConfig(base.resolve(p.config()).normalize(), p.workers(), p.maxFailures(),
                        p.retryDelaySeconds(), p.inFlowDelayMillis(), p.mimeLimits()),
                delivery, admin, embeddedMailbox, certstore, policy.resolvedAgainst(base), base, logging, crypto,
                console);
    }

    /** The name delivery status notifications give as their Reporting-MTA: {@code delivery.heloName}, else hostname. */
    public String reportingMta() {
        return delivery.heloName() != null ? delivery.heloName() : hostname;
    }

    /** The certificate store's directory ({@code certstore.directory}, default {@code var/certstore}), absolute. */
    public Path certstoreDirectory() {
        return baseDirectory.resolve(certstore.directory()).normalize();
    }

    /** This configuration with another SMTP section (e.g. a test's port 0). */
    public GatewayConfig withSmtp(SmtpConfig newSmtp) {
        return new GatewayConfig(hostname, postmaster, internalDomains, stateDir, spool, newSmtp, pipeline, delivery,
                admin, embeddedMailbox, certstore, policy, baseDirectory, logging, crypto, console);
    }

    /**
     * This configuration listening on free ports everywhere (SMTP, admin, embedded mailbox) and keeping its state
     * in {@code newStateDir}: for tests and trial runs beside a running gateway.
     */
    public GatewayConfig withEphemeralPorts(Path newStateDir) {
        EmbeddedMailboxConfig m = embeddedMailbox;
        return new GatewayConfig(hostname, postmaster, internalDomains, newStateDir, spool, smtp.withPort(0), pipeline,
                delivery, admin.withPort(0),
                new EmbeddedMailboxConfig(m.enabled(), m.bind(), 0, 0), certstore, policy, baseDirectory, logging, crypto,
                console.withEphemeralPort());
    }

    /** This configuration with another {@code policy:} section (e.g. a test's policy file). */
    public GatewayConfig withPolicy(PolicySettings newPolicy) {
        return new GatewayConfig(hostname, postmaster, internalDomains, stateDir, spool, smtp, pipeline, delivery, admin,
                embeddedMailbox, certstore, newPolicy, baseDirectory, logging, crypto, console);
    }

    /** This configuration with another {@code pipeline:} section (e.g. a test's mailetcontainer.xml). */
    public GatewayConfig withPipeline(PipelineConfig newPipeline) {
        return new GatewayConfig(hostname, postmaster, internalDomains, stateDir, spool, smtp, newPipeline, delivery, admin,
                embeddedMailbox, certstore, policy, baseDirectory, logging, crypto, console);
    }

    /** This configuration with another {@code console:} section (e.g. a test's administrators). */
    public GatewayConfig withConsole(ConsoleConfig newConsole) {
        return new GatewayConfig(hostname, postmaster, internalDomains, stateDir, spool, smtp, pipeline, delivery, admin,
                embeddedMailbox, certstore, policy, baseDirectory, logging, crypto, newConsole);
    }

    /** True when {@code domain} is one of {@link #internalDomains()} (case-insensitive). */
    public boolean isInternalDomain(String domain) {
        return domain != null && internalDomains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
