package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(resolver.routeFor("a@Partner.TEST")).get().extracting(DeliveryConfig.Route::host)
                .isEqualTo("mx.partner.test");
        assertThat(resolver.routeFor("a@x.y.internal.test")).get().extracting(DeliveryConfig.Route::host)
                .isEqualTo("10.0.0.5");
        assertThat(resolver.routeFor("a@internal.test")).get().extracting(DeliveryConfig.Route::host)
                .isEqualTo("relay.example.net"); // *.internal.test covers subdomains only
        assertThat(resolver.routeFor("a@elsewhere.test")).get().extracting(DeliveryConfig.Route::host)
                .isEqualTo("relay.example.net");
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
    void anEmptySectionIsAllDefaultsWithoutASmarthost() throws Exception {
        DeliveryConfig config = yaml.readValue("heloName: gw\n", DeliveryConfig.class);
        assertThat(config.smarthost()).isNull();
        assertThat(config.routes()).isEmpty();
        assertThat(new RouteResolver(config).routeFor("a@b.test")).isEmpty();
    }

    @Test
    void aUsernameWithoutAPasswordSourceIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> yaml.readValue("smarthost: { host: relay.test, username: u }\n",
                DeliveryConfig.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("needs passwordEnv or passwordFile");
    }
}
