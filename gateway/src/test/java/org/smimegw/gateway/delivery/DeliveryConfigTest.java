package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void bindsFromYamlAndFillsDefaults() throws Exception {
        DeliveryConfig config = yaml.readValue("""
                smarthost:
                  host: relay.example.net
                  username: gateway
                  passwordEnv: RELAY_PASSWORD
                routes:
                  partner.test: { host: mx.partner.test, port: 2525, starttls: REQUIRED }
                  "*.internal.test": { host: 10.0.0.5, starttls: OFF }
                retry:
                  initialDelaySeconds: 30
                heloName: gw.example.com
                """, DeliveryConfig.class);
        assertThat(config.smarthost().port()).isEqualTo(25);
        assertThat(config.smarthost().starttls()).isEqualTo(DeliveryConfig.StartTls.OPPORTUNISTIC);
        assertThat(config.maxConnections()).isEqualTo(20);
        assertThat(config.connectTimeoutSeconds()).isEqualTo(30);
        assertThat(config.timeoutSeconds()).isEqualTo(120);
        assertThat(config.retry()).isEqualTo(new DeliveryConfig.Retry(30.0, 2.0, 3600.0, 120.0));

        RouteResolver resolver = new RouteResolver(config);
        assertThat(relayHost(resolver, "a@Partner.TEST")).isEqualTo("mx.partner.test");
        assertThat(relayHost(resolver, "a@x.y.internal.test")).isEqualTo("10.0.0.5");
        assertThat(relayHost(resolver, "a@internal.test"))
                .isEqualTo("relay.example.net"); // *.internal.test covers subdomains only
        assertThat(relayHost(resolver, "a@elsewhere.test")).isEqualTo("relay.example.net");
    }

    private static String relayHost(RouteResolver resolver, String recipient) {
        return ((NextHop.Relay) resolver.nextHopFor(recipient).orElseThrow()).route().host();
    }

    @Test
    void immediateDeliveryIsOnByDefaultAndCanBeSwitchedOff() throws Exception {
        assertThat(yaml.readValue("heloName: gw\n", DeliveryConfig.class).immediate()).isTrue();
        assertThat(yaml.readValue("immediate: true\n", DeliveryConfig.class).immediate()).isTrue();
        assertThat(yaml.readValue("immediate: false\n", DeliveryConfig.class).immediate()).isFalse();
        assertThat(DeliveryConfig.viaSmarthost(DeliveryConfig.Route.of("h", 25, DeliveryConfig.StartTls.OFF))
                .immediate()).isTrue();
    }

    @Test
    void anEmptySectionIsAllDefaultsWithoutASmarthostSoMailGoesToTheDomainsMxHosts() throws Exception {
        DeliveryConfig config = yaml.readValue("heloName: gw\n", DeliveryConfig.class);
        assertThat(config.smarthost()).isNull();
        assertThat(config.routes()).isEmpty();
        assertThat(config.mx()).isEqualTo(new DeliveryConfig.Mx(true, List.of(), 53, 5, 25, 5));
        assertThat(new RouteResolver(config).nextHopFor("a@B.Test")).contains(new NextHop.Mx("b.test"));
    }

    @Test
    void mxLookupIsConfiguredInTheDeliverySectionAndCanBeSwitchedOff() throws Exception {
        DeliveryConfig config = yaml.readValue("""
                routes:
                  partner.test: { host: mx.partner.test }
                mx:
                  dnsServers: [127.0.0.1, "::1"]
                  dnsPort: 5353
                  dnsTimeoutSeconds: 2
                  port: 2525
                  maxAddresses: 3
                """, DeliveryConfig.class);
        assertThat(config.mx()).isEqualTo(new DeliveryConfig.Mx(true, List.of("127.0.0.1", "::1"), 5353, 2, 2525, 3));
        RouteResolver resolver = new RouteResolver(config);
        assertThat(relayHost(resolver, "a@partner.test")).isEqualTo("mx.partner.test"); // a route wins
        assertThat(resolver.nextHopFor("a@other.test")).contains(new NextHop.Mx("other.test"));

        DeliveryConfig off = yaml.readValue("mx: { enabled: false }\n", DeliveryConfig.class);
        assertThat(new RouteResolver(off).nextHopFor("a@b.test")).isEmpty(); // bounces with 5.4.4
    }

    @Test
    void badMxSettingsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> yaml.readValue("mx: { port: 0 }\n", DeliveryConfig.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("delivery.mx: port out of range");
        assertThatThrownBy(() -> yaml.readValue("mx: { dnsTimeoutSeconds: 0 }\n", DeliveryConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("delivery.mx.dnsTimeoutSeconds must be at least 1");
        assertThatThrownBy(() -> yaml.readValue("mx: { dnsServers: [\"\"] }\n", DeliveryConfig.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("delivery.mx.dnsServers");
    }

    @Test
    void aUsernameWithoutAPasswordSourceIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> yaml.readValue("smarthost: { host: relay.test, username: u }\n",
                DeliveryConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("needs passwordEnv or passwordFile");
    }
}
