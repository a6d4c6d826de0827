package org.smimegw.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The whole gateway configuration, read from {@code conf/gateway.yaml} by {@link ConfigLoader}. Every section may
 * be left out; it then takes its defaults.
 *
 * @param hostname        the gateway's own host name (SMTP greeting, Received headers, DSNs); default the
 *                        machine's host name
 * @param internalDomains the domains whose users are "ours" ({@code MailetContext.isLocalServer}); default none
 * @param stateDir        directory for the spool and other state (default {@code var}, relative to the working
 *                        directory)
 * @param smtp            {@code smtp:} section (owned by the SMTP front end)
 * @param pipeline        {@code pipeline:} section (owned by the mailet container)
 * @param delivery        {@code delivery:} section (owned by delivery)
 * @param admin           {@code admin:} section
 * @param embeddedMailbox {@code embeddedMailbox:} section
 * @param certstore       {@code certstore:} section, opaque here (owned by the certificate store)
 * @param policy          {@code policy:} section, opaque here (owned by the policy engine)
 */
public record GatewayConfig(String hostname, List<String> internalDomains, Path stateDir, JsonNode smtp,
                            JsonNode pipeline, JsonNode delivery, AdminConfig admin,
                            EmbeddedMailboxConfig embeddedMailbox, JsonNode certstore, JsonNode policy) {

    public static final String DEFAULT_STATE_DIR = "var";

    public GatewayConfig {
        internalDomains = internalDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    @JsonCreator
    public static GatewayConfig of(@JsonProperty("hostname") String hostname,
                                   @JsonProperty("internalDomains") List<String> internalDomains,
                                   @JsonProperty("stateDir") Path stateDir,
                                   @JsonProperty("smtp") JsonNode smtp,
                                   @JsonProperty("pipeline") JsonNode pipeline,
                                   @JsonProperty("delivery") JsonNode delivery,
                                   @JsonProperty("admin") AdminConfig admin,
                                   @JsonProperty("embeddedMailbox") EmbeddedMailboxConfig embeddedMailbox,
                                   @JsonProperty("certstore") JsonNode certstore,
                                   @JsonProperty("policy") JsonNode policy) {
        return new GatewayConfig(hostname == null ? HostNames.localHostName() : hostname,
                internalDomains == null ? List.of() : internalDomains,
                stateDir == null ? Path.of(DEFAULT_STATE_DIR) : stateDir,
                orNull(smtp), orNull(pipeline), orNull(delivery),
                admin == null ? AdminConfig.defaults() : admin,
                embeddedMailbox == null ? EmbeddedMailboxConfig.defaults() : embeddedMailbox,
                orNull(certstore), orNull(policy));
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }

    /** This configuration with {@code stateDir} replaced (the loader resolves it against the base directory). */
    public GatewayConfig withStateDir(Path newStateDir) {
        return new GatewayConfig(hostname, internalDomains, newStateDir, smtp, pipeline, delivery, admin,
                embeddedMailbox, certstore, policy);
    }

    /** True when {@code domain} is one of {@link #internalDomains()} (case-insensitive). */
    public boolean isInternalDomain(String domain) {
        return domain != null && internalDomains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
