package org.smimegw.gateway.app;

import java.time.Clock;

import com.codahale.metrics.MetricRegistry;

import org.smimegw.gateway.admin.SpoolAdmin;
import org.smimegw.gateway.config.GatewayConfig;
import org.smimegw.gateway.reload.ContainerHolder;
import org.smimegw.gateway.reload.GatewayReloader;
import org.smimegw.gateway.reload.PolicyHolder;

/**
 * The running gateway's services, as {@link GatewayApplication} hands them to the web console ({@link ConsoleFactory}):
 * the same instances the pipeline, delivery and the reload triggers use.
 *
 * @param config       the configuration the gateway runs with
 * @param clock        the gateway's clock
 * @param metrics      the metric registry behind {@code /metrics}
 * @param spool        the operations on the spool's areas (queue and quarantine), the ones the CLI uses
 * @param certificates the certificate store, validator, LDAP source and token
 * @param policy       the policy in force
 * @param containers   the mailet container in force
 * @param reloader     what {@code POST /reload}, SIGHUP and {@code smime-gateway reload} run
 */
public record GatewayServices(GatewayConfig config, Clock clock, MetricRegistry metrics, SpoolAdmin spool,
                              CertificateServices certificates, PolicyHolder policy, ContainerHolder containers,
                              GatewayReloader reloader) {
}
